using Sim.Core.Randomness;
using Sim.Models.Compute;
using Sim.Models.Training;

namespace Sim.Models.Tests.Training;

/// <summary>
/// DDP workers as processes on one CPU host: iteration times against schedules worked out by hand
/// (the four-layer fixture: forward 1..4 ms, backward 2..8 ms, buckets [L3] and [L2, L1, L0]).
/// </summary>
public class CpuHostDataParallelTests
{
    private const double Optimizer = 1e-3;
    private static double AllReduceCpu(double bytes) => 1e-10 * bytes; // 16 MB -> 1.6 ms, 24 MB -> 2.4 ms

    private static IReadOnlyList<double> Run(int cores, double[] background, int workers, IDistribution? jitter = null, int iterations = 3, ulong seed = 1)
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        var buckets = new GradientBuckets(model.Layers, 4, 25 * 1024 * 1024, 1024 * 1024);
        var fwd = model.Layers.Select(l => compute.LayerTime(l, Phase.Forward, 1)).ToArray();
        var bwd = model.Layers.Select(l => compute.LayerTime(l, Phase.Backward, 1)).ToArray();
        return CpuHostDataParallel.Simulate(cores, background, workers, iterations, fwd, bwd, buckets, Optimizer, AllReduceCpu, jitter, seed);
    }

    [Fact]
    public void OneWorker_IsItsComputePlusOptimizer_WithoutCommunication()
    {
        var times = Run(cores: 2, background: [], workers: 1);
        Assert.Equal(3, times.Count);
        Assert.All(times, t => Assert.Equal(10e-3 + 20e-3 + Optimizer, t, 12));
    }

    [Fact]
    public void TwoWorkersOnTwoIdleCores_CommunicationStealsCoresFromBackward()
    {
        // At 18 ms (forward 10 + backward of L3 8) bucket [L3] is ready on both: 2 compute and 2 gloo
        // threads share 2 cores, half a core each. The 1.6 ms all-reduce takes 3.2 ms, during which
        // backward advances only 1.6 ms; backward (12 ms left) ends at 18 + 12 + 1.6 = 31.6 ms. Then the
        // 2.4 ms all-reduce of [L2, L1, L0] runs alone (34.0) and the optimizer (35.0).
        var times = Run(cores: 2, background: [], workers: 2);
        Assert.All(times, t => Assert.Equal(35.0e-3, t, 12));
    }

    [Fact]
    public void TwoWorkersBesideABusyGroup_ShareOneCore()
    {
        // One background group of a full core leaves the job one core: every piece of work is done by
        // one core in total, 2 x (30 ms compute + 4 ms all-reduce + 1 ms optimizer) = 70 ms.
        var times = Run(cores: 2, background: [1.0], workers: 2);
        Assert.All(times, t => Assert.Equal(70.0e-3, t, 12));
    }

    [Fact]
    public void CpuSecondsPerIteration_IsEveryWorkersComputeOptimizerAndAllReduceWork()
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        var buckets = new GradientBuckets(model.Layers, 4, 25 * 1024 * 1024, 1024 * 1024);
        var fwd = model.Layers.Select(l => compute.LayerTime(l, Phase.Forward, 1)).ToArray();
        var bwd = model.Layers.Select(l => compute.LayerTime(l, Phase.Backward, 1)).ToArray();
        CpuHostDataParallel Job(int workers)
        {
            var sim = new Sim.Core.Simulation();
            return new(sim, new SharedCpuHost(sim, 2), workers, 1, fwd, bwd, buckets, Optimizer, AllReduceCpu);
        }
        // 10 ms forward + 20 ms backward + 1 ms optimizer per worker; all-reduces of 1.6 + 2.4 ms per rank with two.
        Assert.Equal(31e-3, Job(1).CpuSecondsPerIteration, 12);
        Assert.Equal(2 * 35e-3, Job(2).CpuSecondsPerIteration, 12);
        // On one core in total (beside a busy group) the iteration takes exactly that work.
        Assert.Equal(Job(2).CpuSecondsPerIteration, Run(cores: 2, background: [1.0], workers: 2)[0], 12);
    }

    [Fact]
    public void Jitter_VariesIterations_AndTheSameSeedGivesTheSameTimes()
    {
        var jitter = Distributions.Parse("lognormal(0, 0.1)");
        var a = Run(2, [], 2, jitter, iterations: 20, seed: 5);
        var b = Run(2, [], 2, jitter, iterations: 20, seed: 5);
        Assert.Equal(a, b);
        Assert.True(a.Distinct().Count() > 10);
        Assert.InRange(a.Average(), 30e-3, 40e-3);
    }

    [Fact]
    public void MoreBackground_NeverMakesAnIterationFaster()
    {
        double previous = 0;
        foreach (double load in new[] { 0.0, 0.25, 0.5, 1.0, 1.5, 2.0 })
        {
            double t = Run(2, load > 0 ? [load] : [], 2)[0];
            Assert.True(t >= previous - 1e-12, $"background {load}: {t} < {previous}");
            previous = t;
        }
    }

    private static IReadOnlyList<double> RunWith(int cores, int workers, double coRunFactor, Func<double, double>? wallFloor, Func<double, double>? alone = null,
        double broadcastCpu = 0, double broadcastWall = 0, double[]? background = null, int[]? bucketTensors = null, double perTensor = 0, double aloneBufferSync = 0,
        double aloneShare = 1)
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        var buckets = new GradientBuckets(model.Layers, 4, 25 * 1024 * 1024, 1024 * 1024);
        var fwd = model.Layers.Select(l => compute.LayerTime(l, Phase.Forward, 1)).ToArray();
        var bwd = model.Layers.Select(l => compute.LayerTime(l, Phase.Backward, 1)).ToArray();
        var sim = new Sim.Core.Simulation(1);
        var job = new CpuHostDataParallel(sim, new SharedCpuHost(sim, cores, background ?? []), workers, 2, fwd, bwd, buckets, Optimizer, AllReduceCpu,
            jitter: null, coRunComputeFactor: coRunFactor, allReduceWallSeconds: wallFloor, aloneCpuSeconds: alone,
            bufferBroadcastCpuSeconds: broadcastCpu, bufferBroadcastWallSeconds: broadcastWall,
            bucketTensors: bucketTensors, ddpCpuPerTensor: perTensor, aloneBufferSyncCpuSeconds: aloneBufferSync, aloneComputeThreadShare: aloneShare);
        job.Start();
        sim.Run();
        return job.IterationTimes;
    }

    [Fact]
    public void WallFloor_HoldsEachBucketsAllReduce_ButNotTheBackwardBesideIt()
    {
        // Four cores for four threads: nothing waits for a core. Bucket [L3] is ready at 18 ms; its 1.6 ms of CPU
        // is done at 19.6 ms but the 5 ms floor holds the all-reduce until 23 ms, while backward runs on to 30 ms.
        // Bucket [L2, L1, L0] then takes the floor again (5 ms > 2.4 ms of CPU): 35 ms, optimizer 36 ms.
        Assert.All(RunWith(4, 2, 1, _ => 5e-3), t => Assert.Equal(36e-3, t, 12));
        // Without the floor the CPU work alone decides: 30 + 2.4 + 1 = 33.4 ms; a floor below the CPU work changes nothing.
        Assert.All(RunWith(4, 2, 1, null), t => Assert.Equal(33.4e-3, t, 12));
        Assert.All(RunWith(4, 2, 1, _ => 1e-3), t => Assert.Equal(33.4e-3, t, 12));
        // One worker has no all-reduce to hold.
        Assert.All(RunWith(4, 1, 1, _ => 5e-3), t => Assert.Equal(31e-3, t, 12));
    }

    [Fact]
    public void CoRunFactor_ScalesComputeAndOptimizer_OnlyWhenWorkersShareTheHost()
    {
        // Factor 1.5 with two workers on four cores: forward 15 ms, backward 30 ms (bucket [L3] ready at 27 ms, reduced
        // at 28.6 ms), backward done at 45 ms, the second all-reduce (2.4 ms of CPU, not scaled) 47.4 ms, optimizer 1.5 ms: 48.9 ms.
        Assert.All(RunWith(4, 2, 1.5, null), t => Assert.Equal(48.9e-3, t, 12));
        // One worker runs alone: unchanged.
        Assert.All(RunWith(4, 1, 1.5, null), t => Assert.Equal(31e-3, t, 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => RunWith(4, 2, 0, null));
    }

    [Fact]
    public void ConvCoRunFactor_GrowsTheTwoWorkerStepByExactlyItsExcessOverConvCompute()
    {
        // L1 and L3 are convolutions (forward 2 + 4 ms, backward 4 + 8 ms: 18 ms of conv compute per worker); the rest
        // keep factor 1. Two workers on one core in total (beside a busy group): the iteration is all the CPU work, so
        // factor f on convs alone adds exactly 2 workers x (f - 1) x 18 ms, and the job's CPU per iteration the same.
        var (model, compute) = TrainingFixtures.FourLayers();
        var layers = model.Layers.Select((l, i) => i % 2 == 1 ? l with { Kind = "conv" } : l).ToList();
        var buckets = new GradientBuckets(layers, 4, 25 * 1024 * 1024, 1024 * 1024);
        var fwd = layers.Select(l => compute.LayerTime(l, Phase.Forward, 1)).ToArray();
        var bwd = layers.Select(l => compute.LayerTime(l, Phase.Backward, 1)).ToArray();
        (double Time, double Cpu) Step(int workers, double convFactor)
        {
            var sim = new Sim.Core.Simulation(1);
            var job = new CpuHostDataParallel(sim, new SharedCpuHost(sim, 2, [1.0]), workers, 1, fwd, bwd, buckets, Optimizer, AllReduceCpu,
                layerCoRunFactors: CoRunComputeFactors.PerLayer(layers, 1, convFactor));
            job.Start();
            sim.Run();
            return (job.IterationTimes[0], job.CpuSecondsPerIteration);
        }
        var baseline = Step(2, 1);
        Assert.Equal(2 * 35e-3, baseline.Time, 12);
        foreach (double f in new[] { 1.3, 1.41, 2.0 })
        {
            var slowed = Step(2, f);
            Assert.Equal(2 * (f - 1) * 18e-3, slowed.Time - baseline.Time, 12);
            Assert.Equal(2 * (f - 1) * 18e-3, slowed.Cpu - baseline.Cpu, 12);
        }
        // One worker runs alone: no co-run slowdown at all.
        Assert.Equal(Step(1, 1).Time, Step(1, 2.0).Time, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => Step(2, 0));
        Assert.Equal([1.0, 1.5, 1.0, 1.5], CoRunComputeFactors.PerLayer(layers, 1, 1.5));
    }

    [Fact]
    public void ASingleWorker_PaysDdpOnItsComputeThread_PerBucket()
    {
        // One worker, 2 ms of DDP work per bucket after each bucket is ready: 31 ms + 2 buckets x 2 ms = 35 ms, even on
        // four cores (the compute thread does it, nothing runs beside it).
        Assert.All(RunWith(4, 1, 1, null, _ => 2e-3), t => Assert.Equal(35e-3, t, 12));
        // With two workers the single-process term is not used (their DDP cost is the all-reduce work).
        Assert.All(RunWith(4, 2, 1, null, _ => 2e-3), t => Assert.Equal(33.4e-3, t, 12));
    }

    [Fact]
    public void PerTensorDdpCost_AndASingleWorkersBufferSync_AddExactlyTheirWork()
    {
        // One worker (nothing runs beside its compute thread): 31 ms + 2 buckets x 2 ms + (3 + 5 tensors) x 0.1 ms = 35.8 ms, and
        // the buffer sync before forward adds its 0.3 ms.
        Assert.All(RunWith(4, 1, 1, null, _ => 2e-3, bucketTensors: [3, 5], perTensor: 0.1e-3), t => Assert.Equal(35.8e-3, t, 12));
        Assert.All(RunWith(4, 1, 1, null, _ => 2e-3, bucketTensors: [3, 5], perTensor: 0.1e-3, aloneBufferSync: 0.3e-3), t => Assert.Equal(36.1e-3, t, 12));
        // Two workers on four cores (the all-reduce work runs on free cores, the last bucket's 2.4 ms after backward): the
        // per-tensor work of the last bucket (5 x 0.1 ms) lengthens its all-reduce; the single worker's buffer sync is not used.
        Assert.All(RunWith(4, 2, 1, null, bucketTensors: [3, 5], perTensor: 0.1e-3, aloneBufferSync: 0.3e-3), t => Assert.Equal(33.4e-3 + 0.5e-3, t, 12));
        Assert.Throws<ArgumentException>(() => RunWith(4, 1, 1, null, bucketTensors: [3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => RunWith(4, 1, 1, null, perTensor: -1));
    }

    [Fact]
    public void ASingleWorkersDdpWork_OffTheComputeThread_RunsBesideIt()
    {
        // Half of the 2 ms per bucket on the compute thread: forward and L3's backward 18 ms, +1 ms, L2..L0 12 ms, +1 ms =
        // 32 ms; the other half of each bucket runs beside it on a free core (18-19 ms, 31-32 ms), then the optimizer: 33 ms.
        Assert.All(RunWith(4, 1, 1, null, _ => 2e-3, aloneShare: 0.5), t => Assert.Equal(33e-3, t, 12));
        // On one core nothing runs beside it: the same 35 ms as all on the compute thread.
        Assert.All(RunWith(1, 1, 1, null, _ => 2e-3, aloneShare: 0.5), t => Assert.Equal(35e-3, t, 12));
        Assert.All(RunWith(4, 1, 1, null, _ => 2e-3, aloneShare: 1), t => Assert.Equal(35e-3, t, 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => RunWith(4, 1, 1, null, _ => 2e-3, aloneShare: 1.5));
    }

    [Fact]
    public void BufferBroadcast_BeforeForward_AddsExactlyItsCostToEveryIteration_WithTwoWorkers()
    {
        // Two workers on two idle cores (35 ms: the all-reduce work takes cores from backward, see
        // TwoWorkersOnTwoIdleCores_CommunicationStealsCoresFromBackward): the broadcast runs before forward on both
        // ranks, nothing else is runnable then, so it adds max(its CPU work, its wall floor) to every iteration.
        Assert.All(RunWith(2, 2, 1, null), t => Assert.Equal(35e-3, t, 12));
        Assert.All(RunWith(2, 2, 1, null, broadcastCpu: 0.1e-3, broadcastWall: 0.25e-3), t => Assert.Equal(35.25e-3, t, 12));
        Assert.All(RunWith(2, 2, 1, null, broadcastCpu: 0.4e-3, broadcastWall: 0.25e-3), t => Assert.Equal(35.4e-3, t, 12));
        // Beside a group using a whole core, the two ranks' 0.4 ms of CPU each share one core: 0.8 ms before forward
        // (everything after it is the same schedule shifted).
        double busy = RunWith(2, 2, 1, null, background: [1.0])[0];
        Assert.Equal(busy + 0.8e-3, RunWith(2, 2, 1, null, broadcastCpu: 0.4e-3, background: [1.0])[0], 12);
        // A world of one broadcasts to nobody.
        Assert.All(RunWith(2, 1, 1, null, broadcastCpu: 0.4e-3, broadcastWall: 0.25e-3), t => Assert.Equal(31e-3, t, 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => RunWith(2, 2, 1, null, broadcastCpu: -1));
    }
}
