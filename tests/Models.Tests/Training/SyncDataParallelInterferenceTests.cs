using Sim.Models.Compute;
using Sim.Models.Training;

namespace Sim.Models.Tests.Training;

/// <summary>
/// Data-parallel buckets that slow the backward they overlap (NCCL channels holding SMs): the
/// simulated iteration against the closed form <see cref="CommOverlap.BucketedBackward"/> and a hand
/// trace; with no interference the step is exactly the unhindered one.
/// </summary>
public sealed class SyncDataParallelInterferenceTests
{
    private const int Workers = 4;
    private const double Alpha = 20e-6, Optimizer = 0.5e-3;

    private static double Ring(double bytes, double bandwidth = 10e9) => 2.0 * (Workers - 1) * Alpha + 2.0 * (Workers - 1) / Workers * bytes / bandwidth;

    private static TrainingResult Run(double retainedSpeed, double bandwidth = 10e9)
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        var cfg = new DataParallelConfig
        {
            Model = model, Workers = Workers, MicroBatch = 1, Iterations = 3,
            BucketCapBytes = 1, FirstBucketCapBytes = 1, // every layer its own bucket
            OptimizerSeconds = Optimizer, CommRetainedSpeed = retainedSpeed,
        };
        return SyncDataParallel.Simulate(cfg, compute, sim => new ClosedFormAllReduce(sim, Workers, Alpha, bandwidth), seed: 1);
    }

    [Theory]
    [InlineData(1.0, 10e9)]   // compute-dominated: buckets hide behind backward
    [InlineData(0.85, 10e9)]
    [InlineData(0.5, 10e9)]
    [InlineData(0.2, 10e9)]   // so slowed that compute outlasts every bucket
    [InlineData(0.85, 2e9)]   // communication-dominated: the slowed compute still keeps up
    [InlineData(0.3, 2e9)]
    public void Iteration_equals_the_bucketed_backward_closed_form(double r, double bandwidth)
    {
        // Forward 10 ms, then backward L3..L0 = 8, 6, 4, 2 ms; each layer's fp32 gradients (16, 12, 8,
        // 4 MB) form a bucket, ready when its layer's backward ends.
        double[] ops = [10e-3 + 8e-3, 6e-3, 4e-3, 2e-3];
        double[] comms = [Ring(16e6, bandwidth), Ring(12e6, bandwidth), Ring(8e6, bandwidth), Ring(4e6, bandwidth)];
        double expected = CommOverlap.BucketedBackward(ops, comms, r) + Optimizer;
        var result = Run(r, bandwidth);
        Assert.All(result.IterationTimes, t => Assert.Equal(expected, t, 12));
        Assert.Equal(result.JobTime, result.Breakdown.Total, 12);
    }

    [Fact]
    public void Interference_is_exposed_time_and_grows_as_speed_falls()
    {
        double ideal = Run(1).MeanIterationTime, mild = Run(0.85).MeanIterationTime, harsh = Run(0.5).MeanIterationTime;
        Assert.True(ideal < mild && mild < harsh, $"{ideal} < {mild} < {harsh}");
        // Compute stays what the kernels cost alone; the stretch shows as exposed communication.
        var a = Run(1).Breakdown;
        var b = Run(0.5).Breakdown;
        Assert.Equal(a.Compute, b.Compute, 12);
        Assert.True(b.ExposedCommunication > a.ExposedCommunication);
        // Hand trace at r = 0.5, 10 GB/s: bucket 0 (2.52 ms) runs [18, 20.52] ms while L2's 6 ms of backward
        // does 1.26 ms; L2 ends at 20.52 + 4.74 = 25.26; bucket 1 (1.92 ms) [25.26, 27.18] while L1 does
        // 0.96 of 4 ms, ending 27.18 + 3.04 = 30.22; bucket 2 (1.32 ms) [30.22, 31.54] while L0 does 0.66
        // of 2 ms, ending 31.54 + 1.34 = 32.88; bucket 3 (0.72 ms) ends 33.60; optimizer 0.5 ms.
        Assert.Equal(34.10e-3, harsh, 9);
        // Never worse than all-reduce after backward, never better than without interference.
        double serial = 30e-3 + Ring(16e6) + Ring(12e6) + Ring(8e6) + Ring(4e6) + Optimizer;
        Assert.True(ideal <= harsh);
        Assert.True(harsh <= serial + 1e-12);
    }

    [Fact]
    public void Bad_retained_speed_is_refused()
    {
        var (model, _) = TrainingFixtures.FourLayers();
        var cfg = new DataParallelConfig { Model = model, Workers = 2, MicroBatch = 1, Iterations = 1, CommRetainedSpeed = 0 };
        Assert.Throws<ArgumentException>(cfg.Validate);
        Assert.Throws<ArgumentException>((cfg with { CommRetainedSpeed = 1.5 }).Validate);
    }
}
