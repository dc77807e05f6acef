using Sim.Models.Learning.Loop;

namespace Sim.Models.Dependability;

/// <summary>
/// A gradient model that can also train on labels other than the data set's own: the hook through which
/// a data-poisoning attack (<see cref="IDataPoisoning"/>, label flipping) reaches real training. A
/// Byzantine worker's gradient is then the model's true gradient of the poisoned mini-batch, not a
/// transformation of the honest gradient.
/// </summary>
/// <remarks>Same contract as <see cref="IGradientModel.Gradient"/>: results depend only on the arguments.</remarks>
public interface ILabelledGradientModel : IGradientModel
{
    /// <summary>Mean loss over <paramref name="examples"/> when example <c>examples[i]</c> carries label
    /// <c>labels[i]</c>; overwrites <paramref name="gradient"/> with the mean gradient.</summary>
    /// <exception cref="ArgumentException">The spans differ in length or a label is outside 0 .. Classes - 1.</exception>
    double Gradient(ReadOnlySpan<float> parameters, ReadOnlySpan<int> examples, ReadOnlySpan<int> labels, Span<float> gradient);
}
