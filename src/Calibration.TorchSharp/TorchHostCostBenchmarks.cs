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
/// - SGD: steps over <see cref="SgdTensors"/> parameter tensors at several sizes, a line in the tensor size
///   (<see cref="AlphaBetaFitter.FitLine"/>): its intercept is the cost per tensor, its slope the cost per element.
/// Each sample is the best of three back-to-back timings (<see cref="ProfilerClock.BestOfThree"/>), the median over
/// samples is kept.
/// </summary>
internal static class TorchHostCostBenchmarks
{
    public const int Chain = 64;
    public const int SgdTensors = 8;
    public static readonly long[] SgdElements = [1, 1024, 8192, 32768, 131072, 262144];

    public static TorchHostCosts Measure(ProfilerClock clock, int repeats, CancellationToken cancellation)
    {
        using var one = torch.tensor(1.0f);
        using var factor = torch.tensor(1.0f);
        double dispatch = Median(repeats, () => clock.BestOfThree(() => MultiplyChain(one, factor, grad: false)), cancellation) / Chain;
        using var leaf = torch.tensor(1.0f).requires_grad_(true);
        double withAutograd = Median(repeats, () => clock.BestOfThree(() => MultiplyChain(leaf, factor, grad: true)), cancellation) / Chain;
        var (perTensor, perElement) = MeasureSgd(clock, repeats, cancellation);
        return new TorchHostCosts(dispatch, Math.Max(withAutograd - dispatch, 0), perTensor, perElement);
    }

    private static void MultiplyChain(Tensor start, Tensor factor, bool grad)
    {
        using var scope = torch.NewDisposeScope();
        using var mode = torch.set_grad_enabled(grad);
        var y = start;
        for (int i = 0; i < Chain; i++) y = y.mul(factor);
        if (grad) y.backward();
    }

    private static (double PerTensor, double PerElement) MeasureSgd(ProfilerClock clock, int repeats, CancellationToken cancellation)
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
        var line = AlphaBetaFitter.FitLine(points);
        return (line.AlphaSeconds, line.BetaSecondsPerByte);
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
