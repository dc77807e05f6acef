using Sim.Models.Faults;
using Sim.Models.Training;
using Xunit.Abstractions;

namespace Sim.Models.Tests.Training;

public class FailureTests(ITestOutputHelper output)
{
    [Fact]
    public void WasteIsSmallestNearYoungsInterval()
    {
        // One-layer job with 1 s iterations on 8 GPUs: MTBF 625 s per GPU -> system MTBF 78 s... too
        // frequent; use 40,000 s per GPU: system MTBF 5,000 s. Checkpoint 25 s -> Young 500 s.
        var layer = new Sim.Models.Workloads.Layer { Name = "x", Kind = "matmul", ForwardFlops = 1, BackwardFlops = 2, Parameters = 1, OutputActivationBytes = 0 };
        var model = new Sim.Models.Workloads.ModelSpec { Name = "one", Layers = [layer] };
        var compute = new Sim.Models.Compute.MeasuredCompute(new Dictionary<string, (double, double)> { ["x"] = (0.4, 0.6) }, 1, 1e12, "fixture");
        double systemMtbf = 5_000, cost = 25;
        double young = FailureModel.YoungInterval(cost, systemMtbf);
        Assert.Equal(500, young, 9);
        var waste = new List<(double Interval, double Waste)>();
        foreach (double factor in new[] { 0.25, 0.5, 1, 2, 4 })
        {
            var cfg = new DataParallelConfig
            {
                Model = model, Workers = 8, MicroBatch = 1, Iterations = 400_000, OptimizerSeconds = 0, GpusPerNode = 8,
                Failures = new FailureModel
                {
                    GpuMtbfSeconds = systemMtbf * 8, DetectionSeconds = 5, RestartSeconds = 20,
                    CheckpointSeconds = cost, CheckpointIntervalSeconds = young * factor,
                },
            };
            var r = SyncDataParallel.Simulate(cfg, compute, sim => new ClosedFormAllReduce(sim, 8, 0, 1e30), seed: 17);
            double w = (r.JobTime - r.IterationTimes.Sum()) / r.JobTime;
            // First-order model: waste = C/tau + tau/(2M) + R/M (R: detection + restart).
            double tau = young * factor;
            double model1 = cost / tau + tau / (2 * systemMtbf) + 25 / systemMtbf;
            output.WriteLine($"interval {tau,7:F0} s: simulated waste {w:P2}, first-order model {model1:P2}, failures {r.Failures}");
            waste.Add((tau, w));
        }
        var best = waste.MinBy(x => x.Waste);
        Assert.Equal(young, best.Interval, 6);
        Assert.True(waste[0].Waste > waste[2].Waste * 1.3 && waste[4].Waste > waste[2].Waste * 1.3);
    }
}
