using Sim.Core;
using Sim.Core.Randomness;
using Sim.Core.Statistics;
using Sim.Models.Faults;
using Sim.Models.Training;
using Xunit.Abstractions;

namespace Sim.Models.Tests.Training;

public class SyncDataParallelTests(ITestOutputHelper output)
{
    [Fact]
    public void BucketsFollowDdpReverseOrderWithASmallFirstBucket()
    {
        var (model, _) = TrainingFixtures.FourLayers();
        // fp32 gradients: L0..L3 = 4, 8, 12, 16 MB. First cap 1 MiB, then 25 MiB.
        var buckets = new GradientBuckets(model.Layers, 4, 25 * 1024 * 1024, 1024 * 1024);
        // L3 alone overflows the first bucket; 12 + 8 + 4 MB = 24 MB fits under 25 MiB.
        Assert.Equal(new[] { 16e6, 24e6 }, buckets.Bytes);
        Assert.Equal(new[] { 3, 0 }, buckets.ClosingLayer);
        var tighter = new GradientBuckets(model.Layers, 4, 20e6, 1024 * 1024);
        Assert.Equal(new[] { 16e6, 20e6, 4e6 }, tighter.Bytes);     // [L3], [L2, L1], [L0]
        Assert.Equal(new[] { 3, 1, 0 }, tighter.ClosingLayer);
    }

    [Fact]
    public void WithoutStragglersTheIterationIsTheHandComputedCriticalPath()
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        const double alpha = 5e-6, bw = 10e9;
        const int p = 8;
        var cfg = new DataParallelConfig
        {
            Model = model, Workers = p, MicroBatch = 2, Iterations = 3, GradientBytesPerParameter = 4,
            BucketCapBytes = 1, FirstBucketCapBytes = 1, // every layer its own bucket
            OptimizerSeconds = 0.5e-3,
        };
        var result = SyncDataParallel.Simulate(cfg, compute, sim => new ClosedFormAllReduce(sim, p, alpha, bw), seed: 1);

        // By hand: batch 2 doubles the table. Forward = 2*(1+2+3+4) ms = 20 ms.
        // Backward runs L3..L0: 16, 12, 8, 4 ms; buckets ready at 36, 48, 56, 60 ms.
        double Ring(double bytes) => 2.0 * (p - 1) * alpha + 2.0 * (p - 1) / p * bytes / bw;
        double[] ready = { 36e-3, 48e-3, 56e-3, 60e-3 };
        double[] bytes = { 16e6, 12e6, 8e6, 4e6 };
        double end = 0;
        for (int b = 0; b < 4; b++) end = Math.Max(end, ready[b]) + Ring(bytes[b]);
        double expected = Math.Max(end, 60e-3) + 0.5e-3;
        output.WriteLine($"iteration {result.MeanIterationTime * 1e3:F6} ms, hand-computed {expected * 1e3:F6} ms");
        Assert.All(result.IterationTimes, t => Assert.Equal(expected, t, 12));
        Assert.Equal(3 * expected, result.JobTime, 12);
        // Utilisation over time: the GPU computes forward + backward + optimizer of each iteration.
        Assert.All(result.IterationBusyFraction, u => Assert.Equal((60e-3 + 0.5e-3) / expected, u, 12));
        // Exposed communication is what sticks out past backward.
        Assert.Equal(3 * (expected - 60e-3 - 0.5e-3), result.Breakdown.ExposedCommunication, 12);
        Assert.Equal(result.JobTime, result.Breakdown.Total, 12);
    }

    [Fact]
    public void WithoutOverlapCommunicationFollowsBackward()
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        var sync = (Simulation sim) => new ClosedFormAllReduce(sim, 4, 1e-5, 5e9);
        var baseCfg = new DataParallelConfig { Model = model, Workers = 4, MicroBatch = 1, Iterations = 2, BucketCapBytes = 1, FirstBucketCapBytes = 1, OptimizerSeconds = 0 };
        var overlapped = SyncDataParallel.Simulate(baseCfg, compute, sync, 1);
        var serial = SyncDataParallel.Simulate(baseCfg with { Overlap = false }, compute, sync, 1);
        double comm = new[] { 16e6, 12e6, 8e6, 4e6 }.Sum(b => 2.0 * 3 * 1e-5 + 2.0 * 3 / 4 * b / 5e9);
        Assert.Equal(30e-3 + comm, serial.MeanIterationTime, 12);
        Assert.True(overlapped.MeanIterationTime < serial.MeanIterationTime);
    }

    public static TheoryData<int> WorkerCounts => new() { 2, 10, 100, 1_000, 10_000 };

    [Theory]
    [MemberData(nameof(WorkerCounts))]
    public void MeanIterationMatchesTheExpectedMaximumOfNDraws(int n)
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        var jitter = new LogNormal(0, 0.2);
        var cfg = new DataParallelConfig
        {
            Model = model, Workers = n, MicroBatch = 1, Iterations = 200, OptimizerSeconds = 0,
            Stragglers = new StragglerModel { Jitter = jitter },
        };
        // Communication made negligible so the iteration is exactly max_w(m_w) * (forward + backward).
        var result = SyncDataParallel.Simulate(cfg, compute, sim => new ClosedFormAllReduce(sim, n, 0, 1e30), seed: (ulong)n);
        double step = 30e-3;
        // E[max of n i.i.d.] = integral over x >= 0 of 1 - F(x)^n (order statistics).
        double expectedMax = 0, dx = 1e-4;
        for (double x = dx / 2; x < 20; x += dx) expectedMax += (1 - Math.Pow(jitter.Cdf(x), n)) * dx;
        var ci = ConfidenceInterval.Of(result.IterationTimes.ToArray(), 0.99);
        output.WriteLine($"n={n}: simulated {ci}, analytic {expectedMax * step:G6}");
        Assert.True(ci.Contains(expectedMax * step), $"n={n}: {ci} vs {expectedMax * step}");
    }

    [Fact]
    public void BackupWorkersCutTheTail()
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        var cfg = new DataParallelConfig
        {
            Model = model, Workers = 64, MicroBatch = 1, Iterations = 500, OptimizerSeconds = 0,
            // Each worker is slow (2-4x) with probability 2% per iteration.
            Stragglers = new StragglerModel { Jitter = new Mixture([(0.98, new Deterministic(1)), (0.02, new Uniform(2, 4))]) },
        };
        var sync = (Simulation sim) => new ClosedFormAllReduce(sim, 64, 0, 1e30);
        var plain = SyncDataParallel.Simulate(cfg, compute, sync, 5);
        var backups = SyncDataParallel.Simulate(cfg with { BackupWorkers = 8 }, compute, sync, 5);
        output.WriteLine($"p99 without backups {plain.P99 * 1e3:F2} ms, with 8 backups {backups.P99 * 1e3:F2} ms");
        // Without backups an iteration is slow whenever any of 64 workers is: 1 - 0.98^64 = 73% of
        // iterations, so p99 is a slow one (> 2x). With 8 backups it is slow only if 9+ workers are
        // slow at once: P(Binomial(64, 0.02) >= 9) < 1e-5, so p99 is the fast step exactly.
        Assert.True(plain.P99 > 2 * 30e-3);
        Assert.Equal(30e-3, backups.P99, 12);
        Assert.True(backups.MeanIterationTime < plain.MeanIterationTime);
    }

    [Fact]
    public void SameSeedIsBitIdenticalAndTheBreakdownAddsUp()
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        var cfg = new DataParallelConfig
        {
            Model = model, Workers = 32, MicroBatch = 4, Iterations = 50, OptimizerSeconds = 1e-4,
            Stragglers = new StragglerModel { Jitter = new LogNormal(0, 0.3), SlowFraction = 0.1, SlowFactor = 1.5 },
            Failures = new FailureModel { GpuMtbfSeconds = 200, DetectionSeconds = 0.1, RestartSeconds = 0.5, CheckpointSeconds = 0.05, CheckpointIntervalSeconds = 1 },
        };
        var sync = (Simulation sim) => new ClosedFormAllReduce(sim, 32, 1e-5, 10e9);
        var a = SyncDataParallel.Simulate(cfg, compute, sync, 9);
        var b = SyncDataParallel.Simulate(cfg, compute, sync, 9);
        Assert.Equal(a.IterationTimes, b.IterationTimes);
        Assert.Equal(BitConverter.DoubleToInt64Bits(a.JobTime), BitConverter.DoubleToInt64Bits(b.JobTime));
        Assert.True(a.Failures > 0, "the scenario should see failures");
        Assert.Equal(50, a.Iterations);
        Assert.Equal(a.JobTime, a.Breakdown.Total, 9);
    }

    [Fact]
    public void TransientSlowdownOnlySlowsIterationsInsideItsWindow()
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        var cfg = new DataParallelConfig
        {
            Model = model, Workers = 4, MicroBatch = 1, Iterations = 30, OptimizerSeconds = 0,
            Stragglers = new StragglerModel { Transients = [new TransientSlowdown(0.2, 0.3, 2.0, Worker: 2)] },
        };
        var r = SyncDataParallel.Simulate(cfg, compute, sim => new ClosedFormAllReduce(sim, 4, 0, 1e30), 1);
        var starts = new List<double> { 0 };
        foreach (var t in r.IterationTimes) starts.Add(starts[^1] + t);
        for (int i = 0; i < r.Iterations; i++)
            Assert.Equal(starts[i] >= 0.2 && starts[i] < 0.5 ? 60e-3 : 30e-3, r.IterationTimes[i], 12);
    }
}
