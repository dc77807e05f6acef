using Sim.Calibration.TorchSharp;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Sim.Torch.Tests;

/// <summary>The host-cost microbenchmarks against a real training step whose kernels are negligible: the MLP's
/// layout (three linear layers, two ReLUs, cross-entropy, SGD) one unit wide at batch 1, where a step is almost
/// nothing but calls, nodes and parameter bookkeeping.</summary>
public class TorchHostCostTests(ITestOutputHelper output)
{
    [Fact]
    public void HostCostsAreALargePartOfAStepWithoutKernelsAndNeverMoreThanIt()
    {
        if (!TorchAvailability.Require(threads: 1)) return;
        var clock = ProfilerClock.For(1);
        torch.manual_seed(0);
        var module = nn.Sequential(("0", nn.Linear(1, 1)), ("1", nn.ReLU()), ("2", nn.Linear(1, 1)), ("3", nn.ReLU()), ("4", nn.Linear(1, 2)));
        var model = new TorchSmallModel("skeleton", module, [], b => (randn(b, 1), randint(0, 2, [b])), _ => 0);
        var (x, y) = model.MakeBatch(1);
        using var optimizer = optim.SGD(module.parameters(), 0.01);
        for (int i = 0; i < 20; i++) TorchSharpProfilerBackend.TrainStep(model, x, y, optimizer);
        var counts = TorchStepCounter.Count(model, x, y);
        Assert.Equal(8, counts.OperatorCalls); // 3 linear, 2 relu, 2 reshapes, cross-entropy
        Assert.Equal(6, counts.ParameterTensors);
        // Three rounds of (microbenchmarks, then the step), and the median of their ratios: this shared VM's speed moves by
        // 10-40% within minutes (docs/calibration.md), and one round measured the step 4x its quiet time while the
        // microbenchmarks just before it ran at 2.5x (2026-12-08 02:30, 38%); a disturbed round is then one of three.
        var ratios = new List<double>();
        for (int round = 0; round < 3; round++)
        {
            var costs = TorchHostCostBenchmarks.Measure(clock, 11, default);
            var samples = Enumerable.Range(0, 31).Select(_ => clock.BestOfThree(() => TorchSharpProfilerBackend.TrainStep(model, x, y, optimizer))).ToList();
            double measured = TorchSharpProfilerBackend.Median(samples);
            double host = costs.StepSeconds(counts);
            output.WriteLine($"round {round + 1}: {costs.Describe()}; {counts}");
            output.WriteLine($"round {round + 1}: skeleton step: host costs {host * 1e6:F1} us, measured {measured * 1e6:F1} us ({host / measured:P0})");
            ratios.Add(host / measured);
        }
        // The terms are parts of a step, so together they cannot exceed one (10% for timing noise). They measured
        // 64-71% of it (54-59 of 76-90 us, load 15-25, 2026-12-07): what they miss is inside composite operators (linear's
        // backward runs three kernels, cross-entropy two), which count as one call and one node here; docs/calibration.md.
        // On 2026-12-08's VM, three times slower in every step, 49-57% (133-152 of 257-271 us, quiet): the lower bound says
        // "a large part", with room for such a day, not "most".
        Assert.InRange(TorchSharpProfilerBackend.Median(ratios), 0.35, 1.1);
    }
}
