using Sim.Torch;

namespace Sim.Learning;

/// <summary>
/// A TorchSharp network written functionally over one flat parameter vector: each call makes a leaf
/// tensor of the given parameters, slices it into the layers' weights (views, so autograd sends every
/// gradient back into the flat leaf), runs the forward pass and backward, and copies the flat gradient
/// out. The loop owns parameters as plain float arrays; this class owns only the data and the graph.
/// </summary>
/// <remarks>Deterministic: torch runs on one intra-op thread (set by the constructor through
/// <see cref="TorchRuntime"/>), initialisation is seeded in C#, and nothing random happens inside torch.
/// Not thread-safe (one model per thread). Throws <see cref="TorchUnavailableException"/> when LibTorch
/// cannot load.</remarks>
public abstract class TorchGradientModel : IGradientModel, IDisposable
{
    private readonly float[] _scratch;
    private readonly long[] _index;

    protected TorchGradientModel(int parameterCount, int maxBatch)
    {
        TorchRuntime.EnsureAvailable(threads: 1);
        ParameterCount = parameterCount;
        _scratch = new float[parameterCount];
        _index = new long[Math.Max(1, maxBatch)];
    }

    public abstract string Name { get; }
    public int ParameterCount { get; }
    public abstract int TrainingExamples { get; }
    public abstract int Classes { get; }
    public abstract int LabelOf(int example);
    public abstract void Initialise(Span<float> parameters, ulong seed);

    /// <summary>Mean loss of the examples named by <paramref name="examples"/> (an int64 tensor of indices
    /// into the training set) at the parameter views.</summary>
    protected abstract Tensor TrainingLoss(Tensor flat, Tensor examples);

    /// <summary>Mean loss and accuracy on the held-out set.</summary>
    protected abstract Evaluation HeldOut(Tensor flat);

    public double Gradient(ReadOnlySpan<float> parameters, ReadOnlySpan<int> examples, Span<float> gradient) =>
        GradientOf(parameters, examples, gradient, TrainingLoss);

    /// <summary>Backward pass of <paramref name="loss"/> (flat parameters, example indices) at the
    /// parameters; copies the flat gradient out and returns the loss.</summary>
    protected double GradientOf(ReadOnlySpan<float> parameters, ReadOnlySpan<int> examples, Span<float> gradient, Func<Tensor, Tensor, Tensor> loss)
    {
        using var scope = NewDisposeScope();
        var flat = Leaf(parameters, requiresGrad: true);
        long[] index = examples.Length <= _index.Length ? _index : new long[examples.Length];
        for (int i = 0; i < examples.Length; i++) index[i] = examples[i];
        var ids = tensor(index, dtype: ScalarType.Int64).narrow(0, 0, examples.Length);
        var value = loss(flat, ids);
        value.backward();
        flat.grad!.data<float>().CopyTo(_scratch);
        _scratch.AsSpan().CopyTo(gradient);
        return value.item<float>();
    }

    public Evaluation Evaluate(ReadOnlySpan<float> parameters)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return HeldOut(Leaf(parameters, requiresGrad: false));
    }

    private Tensor Leaf(ReadOnlySpan<float> parameters, bool requiresGrad)
    {
        parameters.CopyTo(_scratch);
        var t = tensor(_scratch, dtype: ScalarType.Float32);
        return requiresGrad ? t.requires_grad_(true) : t;
    }

    /// <summary>Cuts consecutive views out of the flat vector, in declaration order.</summary>
    protected sealed class Slicer(Tensor flat)
    {
        private long _offset;
        public Tensor Next(params long[] shape)
        {
            long n = 1;
            foreach (long d in shape) n *= d;
            var view = flat.narrow(0, _offset, n).view(shape);
            _offset += n;
            return view;
        }
    }

    /// <summary>Seeded uniform(-bound, bound) values for a layer's weights, bound = 1/√fan_in (PyTorch's
    /// default Linear/Conv initialisation range), drawn from the given stream.</summary>
    protected static void FillUniform(Span<float> into, int fanIn, Sim.Core.Randomness.RandomStream rng)
    {
        double bound = 1 / Math.Sqrt(fanIn);
        for (int i = 0; i < into.Length; i++) into[i] = (float)((2 * rng.NextDouble() - 1) * bound);
    }

    public virtual void Dispose() => GC.SuppressFinalize(this);
}
