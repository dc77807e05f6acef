using Sim.Core.Randomness;
using Sim.Models.Faults;
using Sim.Models.Training;
using Xunit.Abstractions;

namespace Sim.Models.Tests.Training;

public class ParameterServerTrainingTests(ITestOutputHelper output)
{
    private static ParameterServerConfig Config(PsConsistency mode, int staleness = 0, StragglerModel? stragglers = null, int iterations = 40)
    {
        var (model, _) = TrainingFixtures.FourLayers();
        return new ParameterServerConfig
        {
            Model = model, Workers = 8, MicroBatch = 1, Iterations = iterations, Servers = 2,
            Consistency = mode, Staleness = staleness, AggregationBytesPerSecond = 50e9,
            Stragglers = stragglers ?? new StragglerModel { Jitter = new LogNormal(0, 0.3) },
        };
    }

    private static (TrainingResult, ParameterServerTraining) Run(ParameterServerConfig cfg, ulong seed = 3)
    {
        var (_, compute) = TrainingFixtures.FourLayers();
        return ParameterServerTraining.Simulate(cfg, compute, 10e9, 25e9, 2e-6, flowLevel: true, seed);
    }

    [Fact]
    public void SspWithZeroStalenessEqualsBsp()
    {
        var (bsp, _) = Run(Config(PsConsistency.Bsp));
        var (ssp, _) = Run(Config(PsConsistency.Ssp, 0));
        output.WriteLine($"BSP job {bsp.JobTime:G10} s, SSP(0) job {ssp.JobTime:G10} s");
        Assert.Equal(bsp.JobTime, ssp.JobTime, 12);
        Assert.Equal(bsp.Breakdown.Compute, ssp.Breakdown.Compute, 12);
    }

    [Fact]
    public void SspWithAHugeBoundIsAsp()
    {
        var (asp, _) = Run(Config(PsConsistency.Asp));
        var (ssp, _) = Run(Config(PsConsistency.Ssp, 1_000_000));
        Assert.Equal(asp.JobTime, ssp.JobTime, 12);
        Assert.Equal(asp.Staleness, ssp.Staleness);
    }

    [Fact]
    public void LoosenessTradesWaitingForStaleness()
    {
        var results = new[] { 0, 1, 2, 4, 8 }.Select(s => Run(Config(PsConsistency.Ssp, s)).Item1).ToList();
        for (int i = 0; i < results.Count; i++)
            output.WriteLine($"s={new[] { 0, 1, 2, 4, 8 }[i]}: job {results[i].JobTime:F4} s, mean staleness {results[i].MeanStaleness:F2}, wait {results[i].Breakdown.StragglerWait:F4} s");
        for (int i = 1; i < results.Count; i++)
        {
            Assert.True(results[i].JobTime <= results[i - 1].JobTime * (1 + 1e-9));
            Assert.True(results[i].MeanStaleness >= results[i - 1].MeanStaleness);
        }
        Assert.True(results[^1].JobTime < results[0].JobTime);
    }

    [Fact]
    public void UnderPersistentStragglersAsyncBeatsSyncAndSlowWorkersUpdatesGoStale()
    {
        foreach (double factor in new[] { 2.0, 4.0 })
        {
            var stragglers = new StragglerModel { SlowFraction = 1.0 / 8, SlowFactor = factor };
            var (sync, _) = Run(Config(PsConsistency.Bsp, stragglers: stragglers));
            var (async, job) = Run(Config(PsConsistency.Asp, stragglers: stragglers));
            // Throughput: samples per second over the whole job.
            double syncRate = 8 * 40 / sync.JobTime, asyncRate = 8 * 40 / async.JobTime;
            int slow = Enumerable.Range(0, 8).Single(job.IsSlowWorker);
            // While the slow worker runs one step (T_slow), each of the 7 others applies T_slow / T_fast
            // updates, so its updates are about 7 T_slow / T_fast steps stale.
            double tSlow = job.IterationTimesByWorker[slow].Average();
            double tFast = Enumerable.Range(0, 8).Where(w => w != slow).SelectMany(w => job.IterationTimesByWorker[w]).Average();
            double expected = 7 * tSlow / tFast;
            double slowStaleness = job.StalenessByWorker[slow].Skip(1).Average();
            output.WriteLine($"factor {factor}: sync {syncRate:F1}/s, async {asyncRate:F1}/s, slow worker staleness {slowStaleness:F2} (expected {expected:F2}), fast workers did {job.IterationTimesByWorker.Where((_, w) => w != slow).Average(l => l.Count):F1} steps, slow {job.IterationTimesByWorker[slow].Count}");
            Assert.True(asyncRate > syncRate * 1.2);
            Assert.InRange(slowStaleness, expected * 0.85, expected * 1.15);
            Assert.True(job.StalenessByWorker[slow].Skip(1).Average() > job.StalenessByWorker[(slow + 1) % 8].Skip(1).Average());
        }
    }

    [Fact]
    public void BspBackupWorkersCutTheTail()
    {
        var stragglers = new StragglerModel { Jitter = new Mixture([(0.9, new Deterministic(1)), (0.1, new Uniform(3, 5))]) };
        var (plain, _) = Run(Config(PsConsistency.Bsp, stragglers: stragglers, iterations: 200));
        var (backups, _) = Run(Config(PsConsistency.Bsp, stragglers: stragglers, iterations: 200) with { BackupWorkers = 3 });
        output.WriteLine($"p99: {plain.P99 * 1e3:F2} ms without backups, {backups.P99 * 1e3:F2} ms with 3");
        Assert.True(backups.P99 < plain.P99);
        Assert.True(backups.MeanIterationTime < plain.MeanIterationTime);
    }

    [Fact]
    public void ParameterServerRunsAreDeterministic()
    {
        var (a, _) = Run(Config(PsConsistency.Ssp, 2), seed: 11);
        var (b, _) = Run(Config(PsConsistency.Ssp, 2), seed: 11);
        Assert.Equal(a.IterationTimes, b.IterationTimes);
        Assert.Equal(a.Staleness, b.Staleness);
    }
}
