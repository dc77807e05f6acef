using Sim.Models.Dependability;

namespace Sim.Learning;

/// <summary>
/// A TorchSharp classifier over a fixed labelled data set held as tensors: subclasses say how parameters
/// map inputs to logits; this class turns logits into the cross-entropy training loss of a mini-batch and
/// the held-out loss and accuracy, and owns (and disposes) the four data tensors.
/// </summary>
public abstract class TorchClassifier : TorchGradientModel, ILabelledGradientModel
{
    private readonly Tensor _trainX, _trainY, _testX, _testY;

    /// <param name="parameterCount">Length of the flat parameter vector.</param>
    /// <param name="maxBatch">Largest mini-batch a gradient is asked for.</param>
    /// <param name="trainX">Training inputs, first dimension the example.</param>
    /// <param name="trainLabels">Training labels (class indices).</param>
    /// <param name="testX">Held-out inputs.</param>
    /// <param name="testLabels">Held-out labels.</param>
    protected TorchClassifier(int parameterCount, int maxBatch, Tensor trainX, IEnumerable<int> trainLabels, Tensor testX, IEnumerable<int> testLabels)
        : base(parameterCount, maxBatch)
    {
        _trainX = trainX;
        _trainY = tensor(trainLabels.Select(l => (long)l).ToArray(), dtype: ScalarType.Int64);
        _testX = testX;
        _testY = tensor(testLabels.Select(l => (long)l).ToArray(), dtype: ScalarType.Int64);
        // The data outlive every gradient's dispose scope; Dispose frees them.
        foreach (var t in new[] { _trainX, _trainY, _testX, _testY }) t.DetachFromDisposeScope();
    }

    /// <summary>Logits (examples x classes) of inputs <paramref name="x"/> under the flat parameters.</summary>
    protected abstract Tensor Logits(Tensor flat, Tensor x);

    protected sealed override Tensor TrainingLoss(Tensor flat, Tensor examples) =>
        F.cross_entropy(Logits(flat, _trainX.index_select(0, examples)), _trainY.index_select(0, examples));

    /// <summary>Gradient of the examples under the given labels instead of their own (label flipping:
    /// <see cref="ILabelledGradientModel"/>); same graph and cross-entropy as <see cref="TorchGradientModel.Gradient"/>.</summary>
    public double Gradient(ReadOnlySpan<float> parameters, ReadOnlySpan<int> examples, ReadOnlySpan<int> labels, Span<float> gradient)
    {
        if (labels.Length != examples.Length) throw new ArgumentException($"{labels.Length} labels for {examples.Length} examples", nameof(labels));
        var y = new long[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)Classes) throw new ArgumentException($"label {labels[i]} outside 0..{Classes - 1}", nameof(labels));
            y[i] = labels[i];
        }
        return GradientOf(parameters, examples, gradient, (flat, ids) => F.cross_entropy(Logits(flat, _trainX.index_select(0, ids)), tensor(y, dtype: ScalarType.Int64)));
    }

    protected sealed override Evaluation HeldOut(Tensor flat)
    {
        var logits = Logits(flat, _testX);
        double loss = F.cross_entropy(logits, _testY).item<float>();
        double accuracy = logits.argmax(1).eq(_testY).to_type(ScalarType.Float32).mean().item<float>();
        return new Evaluation(loss, accuracy);
    }

    public override void Dispose()
    {
        foreach (var t in new[] { _trainX, _trainY, _testX, _testY }) t.Dispose();
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
