using Sim.Models.Training;

namespace Sim.Models.Tests.Training;

/// <summary>
/// A background loop that issues the gradient all-reduces every cycle (Horovod's HOROVOD_CYCLE_TIME): each bucket
/// starts at max(previous bucket's end, ready + cycle / 2), the mean wait for a wake-up of arbitrary phase; hand-computed
/// critical paths with and without compute slowed beside the collective.
/// </summary>
public sealed class SyncCycleTests
{
    // FourLayers at batch 1: forward 10 ms, backward L3..L0 8, 6, 4, 2 ms: buckets (one per layer) ready at 18, 24, 28, 30 ms;
    // FP32 gradients 16, 12, 8, 4 MB; a 4-worker ring at 10 GB/s without latency reduces them in 2.4, 1.8, 1.2, 0.6 ms.
    private static TrainingResult Run(double cycleSeconds, double retained)
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        var cfg = new DataParallelConfig
        {
            Model = model, Workers = 4, MicroBatch = 1, Iterations = 2, GradientBytesPerParameter = 4,
            BucketCapBytes = 1, FirstBucketCapBytes = 1, OptimizerSeconds = 0,
            SyncCycleSeconds = cycleSeconds, CommRetainedSpeed = retained,
        };
        return SyncDataParallel.Simulate(cfg, compute, sim => new ClosedFormAllReduce(sim, 4, 0, 10e9), seed: 1);
    }

    [Fact]
    public void Each_bucket_waits_half_a_cycle_after_it_is_ready()
    {
        // No cycle: 18 -> 20.4, 24 -> 25.8, 28 -> 29.2, 30 -> 30.6 ms.
        Assert.All(Run(0, 1).IterationTimes, t => Assert.Equal(30.6e-3, t, 12));
        // 4 ms cycle: 20 -> 22.4, 26 -> 27.8, 30 -> 31.2, 32 -> 32.6 ms: the last bucket's 2 ms wait is exposed.
        Assert.All(Run(4e-3, 1).IterationTimes, t => Assert.Equal(32.6e-3, t, 12));
    }

    [Fact]
    public void While_a_bucket_waits_for_the_loop_compute_runs_at_full_speed()
    {
        // Compute keeps half its speed beside a collective. 4 ms cycle, by hand (work in ms of unhindered compute):
        // L3 ready 18, starts 20 (work 20), ends 22.4 (work 21.2); L2 ready at 25.2, starts 27.2, ends 29.0 (work 26.9);
        // L1 ready at 30.1, starts 32.1 (work 30: backward done), ends 33.3; L0 was ready at 32.1, starts 34.1, ends 34.7.
        Assert.All(Run(4e-3, 0.5).IterationTimes, t => Assert.Equal(34.7e-3, t, 12));
        // Without the cycle: 18 -> 20.4 (19.2), 25.2 -> 27.0 (24.9), 30.1 -> 31.3 (28.6), 32.7 -> 33.3.
        Assert.All(Run(0, 0.5).IterationTimes, t => Assert.Equal(33.3e-3, t, 12));
    }

    [Fact]
    public void A_bucket_produced_two_reductions_back_keeps_its_own_ready_time()
    {
        // Half speed beside a collective, 20 ms cycle (10 ms mean wait). L3 ready 18, waits until 28 (full speed: work 28, so
        // L2 was produced at 24 and L1 at 28), reduced 28 -> 30.4 (work 29.2). L2 waits until 34 (full speed from 30.4:
        // L0 produced at 31.2), reduced 34 -> 35.8. L1, ready since 28, starts at 38 -> 39.2; L0 at 41.2 -> 41.8.
        Assert.All(Run(20e-3, 0.5).IterationTimes, t => Assert.Equal(41.8e-3, t, 12));
    }

    [Fact]
    public void A_negative_cycle_is_refused()
    {
        var (model, _) = TrainingFixtures.FourLayers();
        var e = Assert.Throws<ArgumentException>(new DataParallelConfig { Model = model, Workers = 2, MicroBatch = 1, Iterations = 1, SyncCycleSeconds = -1e-3 }.Validate);
        Assert.Contains("training.sync_cycle_ms", e.Message);
    }
}
