namespace Sim.Models.Learning.Loop;

/// <summary>
/// A real model on a real data set, seen by the training loop only through flat parameter vectors: it
/// computes the mean loss and gradient of a set of training examples at given parameters, and evaluates
/// parameters on its held-out set. The loop owns every parameter vector (versions, averaging, updates);
/// the model owns the data and the arithmetic (TorchSharp in Sim.Learning, or plain C#).
/// </summary>
/// <remarks>Contract: results depend only on the arguments (no hidden state between calls), so the same
/// calls in the same order give the same bits; implementations are used from one thread.</remarks>
public interface IGradientModel
{
    /// <summary>Short description for reports, e.g. "MLP 64-64-10 on gaussian-blobs (4,096 examples)".</summary>
    string Name { get; }

    /// <summary>Length of the flat parameter vector.</summary>
    int ParameterCount { get; }

    /// <summary>Number of training examples; examples are named 0 .. TrainingExamples - 1.</summary>
    int TrainingExamples { get; }

    /// <summary>The class of training example <paramref name="example"/> (used to build non-IID shards).</summary>
    int LabelOf(int example);

    /// <summary>Number of classes (labels are 0 .. Classes - 1).</summary>
    int Classes { get; }

    /// <summary>Writes seeded initial parameters.</summary>
    void Initialise(Span<float> parameters, ulong seed);

    /// <summary>Mean loss over <paramref name="examples"/> at <paramref name="parameters"/>; overwrites
    /// <paramref name="gradient"/> with the mean gradient.</summary>
    double Gradient(ReadOnlySpan<float> parameters, ReadOnlySpan<int> examples, Span<float> gradient);

    /// <summary>Mean loss and accuracy (fraction of correct predictions; for a language model, of next
    /// tokens) on the held-out set.</summary>
    Evaluation Evaluate(ReadOnlySpan<float> parameters);
}

/// <summary>A held-out evaluation: mean loss and accuracy in [0, 1].</summary>
public readonly record struct Evaluation(double Loss, double Accuracy);
