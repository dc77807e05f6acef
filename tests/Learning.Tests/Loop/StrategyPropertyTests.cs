using Sim.Core.Randomness;
using Sim.Models.Faults;
using Sim.Models.Learning.Loop;

namespace Sim.Learning.Tests.Loop;

/// <summary>Determinism, exact staleness, bounded memory and the staleness bound.</summary>
public class StrategyPropertyTests
{
    private static readonly LoopTiming Jittery = new() { Stragglers = new StragglerModel { Jitter = new LogNormal(0, 0.5), SlowFraction = 0.25, SlowFactor = 3 } };

    [Fact]
    public void The_same_seed_gives_the_same_curve_bit_for_bit_and_another_seed_does_not()
    {
        LoopOutcome Run(ulong seed) => new ParameterServerSgd().Run(Blobs.Config(workers: 8, batch: 8, updates: 200, every: 10, seed: seed) with { Timing = Jittery });
        var a = Run(5);
        var b = Run(5);
        Assert.Equal(a.Curve, b.Curve);
        Assert.Equal(a.StalenessHistogram, b.StalenessHistogram);
        Assert.NotEqual(a.Curve.Select(p => p.Loss), Run(6).Curve.Select(p => p.Loss));
    }

    [Fact]
    public void Equal_workers_without_jitter_see_staleness_n_minus_one_after_the_first_round()
    {
        const int n = 6;
        var outcome = new ParameterServerSgd().Run(Blobs.Config(workers: n, batch: 4, updates: 120, every: 1000));
        // First round: arrivals at the same instant in worker order see 0, 1, ..., n-1 newer versions;
        // from then on each worker's gradient is applied after exactly the other n-1 workers' gradients.
        Assert.Equal(n, outcome.StalenessHistogram.Count);
        for (int t = 0; t < n - 1; t++) Assert.Equal(1, outcome.StalenessHistogram[t]);
        Assert.Equal(120 - (n - 1), outcome.StalenessHistogram[n - 1]);
    }

    [Fact]
    public void Only_live_versions_are_kept()
    {
        const int n = 32;
        var outcome = new ParameterServerSgd().Run(Blobs.Config(workers: n, batch: 4, updates: 2000, every: 500) with { Timing = Jittery });
        Assert.Equal(2000, outcome.Updates);
        Assert.InRange(outcome.PeakLiveSnapshots, 2, n);
        Assert.True(outcome.SnapshotBytes <= (long)n * Blobs.Model().ParameterCount * sizeof(float));
    }

    [Fact]
    public void A_staleness_bound_caps_staleness_and_asp_has_the_most()
    {
        const int n = 8;
        var timing = new LoopTiming { Stragglers = new StragglerModel { SlowFraction = 0.125, SlowFactor = 4 } };
        double Mean(int? bound, out int max)
        {
            var o = new ParameterServerSgd { StalenessBound = bound }.Run(Blobs.Config(workers: n, batch: 4, updates: 800, every: 400) with { Timing = timing });
            max = o.StalenessHistogram.Count - 1;
            return o.MeanStaleness;
        }
        double ssp1 = Mean(1, out int max1), ssp4 = Mean(4, out int max4), asp = Mean(null, out int maxAsp);
        // With bound s a gradient can be at most (s + 1) n - 1 versions old: every other worker may
        // push at most s + 1 times meanwhile.
        Assert.InRange(max1, 0, 2 * n - 1);
        Assert.InRange(max4, 0, 5 * n - 1);
        Assert.True(ssp1 <= ssp4 && ssp4 <= asp, $"mean staleness ssp1 {ssp1}, ssp4 {ssp4}, asp {asp}");
        Assert.True(maxAsp > max1);
    }

    [Fact]
    public void Fedbuff_weights_stale_deltas_and_learns_on_non_iid_shards()
    {
        Assert.Equal(1.0, FedBuff.StalenessWeight(0));
        Assert.Equal(0.5, FedBuff.StalenessWeight(3), 15);
        var model = Blobs.Model();
        var shards = Shards.ByLabel(model, clients: 20, shardsPerClient: 2, new RandomStream(4, "shards"));
        // A shard may straddle one label boundary, so a client of 2 shards sees at most 4 labels; most see 2.
        var labels = shards.Select(s => s.Select(model.LabelOf).Distinct().Count()).ToArray();
        Assert.All(labels, l => Assert.InRange(l, 1, 4));
        Assert.True(labels.Average() < 2.6, $"mean labels per client {labels.Average()}");
        var outcome = new FedBuff { Concurrency = 8, BufferSize = 4, LocalSteps = 3, ClientShards = shards }
            .Run(Blobs.Config(workers: 20, batch: 16, updates: 60, every: 10) with { Timing = Jittery });
        Assert.True(outcome.MeanStaleness > 0);
        Assert.True(outcome.Final.Loss < outcome.Curve[0].Loss);
        Assert.InRange(outcome.PeakLiveSnapshots, 1, 8);
    }

    [Fact]
    public void A_run_stops_at_the_target_and_reports_when()
    {
        var outcome = new SynchronousSgd().Run(Blobs.Config(workers: 2, batch: 16, updates: 5000, every: 5) with { TargetAccuracy = 0.6 });
        Assert.True(outcome.ReachedTarget);
        Assert.True(outcome.Target!.Value.Accuracy >= 0.6);
        Assert.Equal(outcome.Target, outcome.Final);
        Assert.True(outcome.Curve.Take(outcome.Curve.Count - 1).All(p => p.Accuracy < 0.6));
        Assert.True(outcome.UpdatesToTarget < 5000);
    }
}
