using Sim.Calibration.Fitting;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Calibration.TorchSharp;

/// <summary>
/// Microbenchmarks of the host costs of <see cref="TorchHostCosts"/>, each on tensors so small that the
/// arithmetic is negligible and only the per-call machinery is left:
/// - dispatch: a chain of <see cref="Chain"/> multiplications of a one-element tensor without gradients, inside a
///   dispose scope that frees the results (a training step frees its temporaries the same way);
/// - autograd: the same chain from a leaf that requires a gradient, then backward, minus the dispatch chain,
///   per multiplication: recording the node and running its backward;
/// - parameter tensors and the step: whole training steps (zero_grad, forward, sum, backward, SGD step) of a chain
///   of k one-element parameters, k = 1 to 32, a robust line in k (<see cref="AlphaBetaFitter.FitLine"/>): each
///   parameter adds one multiplication (a call and a node) and its own tensor's work, so the slope minus a call
///   and a node is the cost per parameter tensor, and the intercept minus the sum's call and node the step's own;
/// - SGD per element: steps over <see cref="SgdTensors"/> parameter tensors at several sizes, a line in the tensor
///   size whose slope is the cost per element.
/// Each sample is the best of three back-to-back timings (<see cref="ProfilerClock.BestOfThree"/>), the median over
/// samples is kept.
/// </summary>
internal static class TorchHostCostBenchmarks
{
    public const int Chain = 64;
    public const int SgdTensors = 8;
    public static readonly long[] SgdElements = [1, 1024, 8192, 32768, 131072, 262144];
    public static readonly int[] ParameterChains = [1, 2, 4, 8, 16, 32];

    public static TorchHostCosts Measure(ProfilerClock clock, int repeats, CancellationToken cancellation)
    {
        using var one = torch.tensor(1.0f);
        using var factor = torch.tensor(1.0f);
        double dispatch = Median(repeats, () => clock.BestOfThree(() => MultiplyChain(one, factor, grad: false)), cancellation) / Chain;
        using var leaf = torch.tensor(1.0f).requires_grad_(true);
        double withAutograd = Median(repeats, () => clock.BestOfThree(() => MultiplyChain(leaf, factor, grad: true)), cancellation) / Chain;
        double autograd = Math.Max(withAutograd - dispatch, 0);
        var (perParameter, perStep) = MeasureParameterSteps(clock, repeats, cancellation);
        double perElement = MeasureSgdPerElement(clock, repeats, cancellation);
        return new TorchHostCosts(dispatch, autograd, Math.Max(perParameter - dispatch - autograd, 0), perElement,
            Math.Max(perStep - dispatch - autograd, 0));
    }

    private static void MultiplyChain(Tensor start, Tensor factor, bool grad)
    {
        using var scope = torch.NewDisposeScope();
        using var mode = torch.set_grad_enabled(grad);
        var y = start;
        for (int i = 0; i < Chain; i++) y = y.mul(factor);
        if (grad) y.backward();
    }

    /// <summary>The slope and intercept of a whole step's time over the number of one-element parameters.</summary>
    private static (double PerParameter, double PerStep) MeasureParameterSteps(ProfilerClock clock, int repeats, CancellationToken cancellation)
    {
        var points = new List<(double, double)>();
        using var x = torch.ones(1);
        foreach (int k in ParameterChains)
        {
            var parameters = Enumerable.Range(0, k).Select(_ => new global::TorchSharp.Modules.Parameter(torch.ones(1))).ToList();
            try
            {
                using var optimizer = optim.SGD(parameters, 0.01);
                void Step()
                {
                    using var scope = torch.NewDisposeScope();
                    optimizer.zero_grad();
                    var y = x;
                    foreach (var w in parameters) y = y.mul(w);
                    y.sum().backward();
                    optimizer.step();
                }
                points.Add((k, Median(repeats, () => clock.BestOfThree(Step), cancellation)));
            }
            finally
            {
                foreach (var p in parameters) p.Dispose();
            }
        }
        var line = AlphaBetaFitter.FitLine(points);
        return (line.BetaSecondsPerByte, line.AlphaSeconds);
    }

    private static double MeasureSgdPerElement(ProfilerClock clock, int repeats, CancellationToken cancellation)
    {
        var points = new List<(double, double)>();
        foreach (long n in SgdElements)
        {
            var parameters = Enumerable.Range(0, SgdTensors).Select(_ => new global::TorchSharp.Modules.Parameter(torch.zeros(n))).ToList();
            try
            {
                using (var scope = torch.NewDisposeScope())
                {
                    foreach (var p in parameters) p.sum().backward(); // a gradient on every tensor; the steps reuse it
                }
                using var optimizer = optim.SGD(parameters, 0.01);
                optimizer.step();
                double seconds = Median(repeats, () => clock.BestOfThree(() => optimizer.step()), cancellation);
                points.Add((n, seconds / SgdTensors));
            }
            finally
            {
                foreach (var p in parameters) p.Dispose();
            }
        }
        return AlphaBetaFitter.FitLine(points).BetaSecondsPerByte;
    }

    private static double Median(int repeats, Func<double> sample, CancellationToken cancellation)
    {
        sample(); // warm-up: first calls allocate and the JIT promotes the wrappers
        var samples = new List<double>(repeats);
        for (int r = 0; r < repeats; r++)
        {
            cancellation.ThrowIfCancellationRequested();
            samples.Add(sample());
        }
        return TorchSharpProfilerBackend.Median(samples);
    }
}
