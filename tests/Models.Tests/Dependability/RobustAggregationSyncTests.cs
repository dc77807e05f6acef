using Sim.Core;
using Sim.Models.Collectives;
using Sim.Models.Dependability;
using Sim.Models.Network;

namespace Sim.Models.Tests.Dependability;

/// <summary>Gather-to-server synchronisation on the flow network against its closed form.</summary>
public class RobustAggregationSyncTests
{
    private const double Bandwidth = 1e10, Latency = 1e-6, BytesPerParameter = 4;

    private static (Simulation sim, RobustAggregationSync sync) Build(int n, Func<double, double> aggregation)
    {
        var sim = new Simulation(1);
        var net = new FlowNetwork(sim, SingleSwitch.Star(n, 1, Bandwidth, Bandwidth, Latency));
        var sync = new RobustAggregationSync(net, Enumerable.Range(0, n).ToArray(), n, aggregation, BytesPerParameter, "test");
        return (sim, sync);
    }

    [Theory]
    [InlineData(4, 1e8)]
    [InlineData(16, 4e6)]
    public void One_bucket_costs_incast_gather_plus_aggregation_plus_push_back(int n, double bytes)
    {
        // n flows share the server's cable in each direction: n S / B each way, plus two hops of latency.
        double aggregationSeconds = 0.0123;
        var (sim, sync) = Build(n, d => { Assert.Equal(bytes / BytesPerParameter, d); return aggregationSeconds; });
        double done = -1;
        sync.AllReduce(bytes, _ => done = sim.Now, 0);
        sim.Run();
        double oneWay = 2 * Latency + n * bytes / Bandwidth;
        Assert.Equal(2 * oneWay + aggregationSeconds, done, 1e-12 * done);
        Assert.Equal(aggregationSeconds, sync.AggregationBusySeconds, 15);
        // Against a ring all-reduce on the same links, the gather alone costs n / (2 (n-1)/n) times more bandwidth time.
        Assert.True(done > CollectiveCosts.RingAllReduce(n, bytes, 2 * Latency, 1 / Bandwidth));
    }

    [Fact]
    public void Concurrent_buckets_queue_at_the_aggregation_server()
    {
        // Two buckets arrive together (their gathers share the cable, finishing at the same instant);
        // the server aggregates them one after the other, so the second waits for the first.
        const int n = 4;
        const double bytes = 1e6, aggregation = 0.5;
        var (sim, sync) = Build(n, _ => aggregation);
        var done = new double[2];
        sync.AllReduce(bytes, t => done[t] = sim.Now, 0);
        sync.AllReduce(bytes, t => done[t] = sim.Now, 1);
        sim.Run();
        Assert.Equal(aggregation, done[1] - done[0], 1e-9);
        Assert.Equal(2 * aggregation, sync.AggregationBusySeconds, 12);
    }

    [Fact]
    public void Reused_slots_allocate_nothing_after_warm_up()
    {
        var (sim, sync) = Build(8, _ => 1e-3);
        Action<long> noop = _ => { };
        for (int i = 0; i < 3; i++) sync.AllReduce(1e5, noop, i);
        sim.Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        sync.AllReduce(1e5, noop, 0);
        long after = GC.GetAllocatedBytesForCurrentThread();
        Assert.Equal(0, after - before);
        sim.Run();
    }

    [Fact]
    public void Defence_cost_knows_which_rules_need_a_server()
    {
        Assert.True(new DefenceCost("mean").FitsInAllReduce);
        Assert.False(new DefenceCost("mean", "bucketing").FitsInAllReduce);
        Assert.False(new DefenceCost("krum").FitsInAllReduce);
        Assert.Equal(8, new DefenceCost("krum", "bucketing", 2).RuleInputs(16));
        // Costs come from the fitted model: krum on n gradients = c0 + c1 n(n-1)/2 d.
        var model = new AggregationCostModel([new("krum", 8, 1000, 1e-3), new("krum", 16, 1000, 4e-3), new("bucketing", 8, 1000, 1e-4), new("bucketing", 16, 1000, 2e-4)]);
        var c = model.For("krum");
        Assert.Equal(c.Fixed + c.PerWork * 8 * 7 / 2 * 1000.0 + model.Seconds("bucketing", 16, 1000), new DefenceCost("krum", "bucketing").AggregationSeconds(model, 16, 1000), 15);
        Assert.Equal(0, new DefenceCost("mean").AggregationSeconds(model, 16, 1000));
    }
}

public class DefenceSyncEstimateTests
{
    [Theory]
    [InlineData("krum", 8, 2_000_000)]
    [InlineData("median", 24, 500_000)]
    public void Closed_form_matches_the_simulated_gather_for_one_bucket(string rule, int n, int d)
    {
        const double bandwidth = 2.5e10, latency = 0.6e-6;
        var model = new AggregationCostModel([new(rule, 8, 1000, 1e-3), new(rule, 16, 100_000, 2e-2)]);
        var defence = new DefenceCost(rule);
        var estimate = DefenceSyncEstimate.For(defence, model, n, d, 4, 2 * latency, 1 / bandwidth);

        var sim = new Sim.Core.Simulation(1);
        var net = new Sim.Models.Network.FlowNetwork(sim, Sim.Models.Network.SingleSwitch.Star(n, 1, bandwidth, bandwidth, latency));
        var sync = new RobustAggregationSync(net, Enumerable.Range(0, n).ToArray(), n, p => defence.AggregationSeconds(model, n, (long)p), 4, "t");
        double done = 0;
        sync.AllReduce(d * 4.0, _ => done = sim.Now, 0);
        sim.Run();
        Assert.Equal(estimate.TotalSeconds, done, 1e-9 * done);
        Assert.False(estimate.Measured);
    }

    [Fact]
    public void Mean_costs_a_ring_all_reduce_and_nothing_on_a_server()
    {
        var model = new AggregationCostModel([new("krum", 8, 1000, 1e-3), new("krum", 16, 1000, 4e-3)]);
        var e = DefenceSyncEstimate.For(new DefenceCost("mean"), model, 8, 1_000_000, 4, 1e-6, 1e-10);
        Assert.Equal(Sim.Models.Collectives.CollectiveCosts.RingAllReduce(8, 4e6, 1e-6, 1e-10), e.CommunicationSeconds, 15);
        Assert.Equal(0, e.AggregationSeconds);
    }
}
