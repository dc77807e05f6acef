using Sim.Core;
using Sim.Models.Collectives;
using Sim.Models.Hardware;
using Sim.Models.Network;
using static Sim.Models.Tests.Network.TestTopologies;

namespace Sim.Models.Tests.Collectives;

/// <summary>On fabrics where the algorithm's own transfers are the only traffic, the flow-level network
/// must reproduce the closed-form alpha-beta cost of every collective.</summary>
public class CollectiveOracleTests
{
    private const double RelativeTolerance = 1e-9;

    internal static double Time(Topology t, bool flow, Func<INetwork, Collective> make)
    {
        var sim = new Simulation(5);
        INetwork net = flow ? new FlowNetwork(sim, t) : new AnalyticalNetwork(sim, t);
        var c = make(net);
        var done = c.Run();
        sim.Run();
        Assert.True(done.IsProcessed && c.IsDone);
        Assert.Equal(net.Counters.TransfersStarted, net.Counters.TransfersCompleted);
        return c.Duration;
    }

    private static int[] Ranks(int p) => Enumerable.Range(0, p).ToArray();

    private static void AssertRelative(double expected, double actual) =>
        Assert.True(Math.Abs(actual - expected) <= RelativeTolerance * expected, $"expected {expected:R}, got {actual:R}");

    [Theory]
    [InlineData(2)] [InlineData(3)] [InlineData(5)] [InlineData(8)]
    public void Ring_allreduce_reducescatter_allgather(int p)
    {
        const double n = 1e8;
        foreach (bool flow in new[] { true, false })
        {
            AssertRelative(CollectiveCosts.RingAllReduce(p, n, Alpha, Beta),
                Time(Uniform(p), flow, net => new RingCollective(net, Ranks(p), n, CollectiveKind.AllReduce)));
            AssertRelative(CollectiveCosts.RingAllReduce(p, n, Alpha, Beta),
                Time(Uniform(p), flow, net => new RingCollective(net, Ranks(p), n, CollectiveKind.AllReduce, RingMode.Stepwise)));
            AssertRelative(CollectiveCosts.RingReduceScatter(p, n, Alpha, Beta),
                Time(Uniform(p), flow, net => new RingCollective(net, Ranks(p), n, CollectiveKind.ReduceScatter)));
            AssertRelative(CollectiveCosts.RingAllGather(p, n, Alpha, Beta),
                Time(Uniform(p), flow, net => new RingCollective(net, Ranks(p), n, CollectiveKind.AllGather, RingMode.Stepwise)));
        }
    }

    [Theory]
    [InlineData(2)] [InlineData(4)] [InlineData(16)]
    public void Recursive_halving_doubling(int p)
    {
        const double n = 6.4e7;
        foreach (bool flow in new[] { true, false })
        {
            AssertRelative(CollectiveCosts.RhdAllReduce(p, n, Alpha, Beta),
                Time(Uniform(p), flow, net => new RecursiveHalvingDoubling(net, Ranks(p), n, CollectiveKind.AllReduce)));
            AssertRelative(CollectiveCosts.RhdReduceScatter(p, n, Alpha, Beta),
                Time(Uniform(p), flow, net => new RecursiveHalvingDoubling(net, Ranks(p), n, CollectiveKind.ReduceScatter)));
            AssertRelative(CollectiveCosts.RhdReduceScatter(p, n, Alpha, Beta),
                Time(Uniform(p), flow, net => new RecursiveHalvingDoubling(net, Ranks(p), n, CollectiveKind.AllGather)));
        }
        Assert.Throws<ArgumentException>(() => new RecursiveHalvingDoubling(new AnalyticalNetwork(new Simulation(), Uniform(6)), Ranks(6), n, CollectiveKind.AllReduce));
    }

    [Theory]
    [InlineData(2)] [InlineData(3)] [InlineData(4)] [InlineData(7)] [InlineData(16)] [InlineData(33)]
    public void Double_binary_tree_allreduce(int p)
    {
        const double n = 5e7;
        AssertRelative(CollectiveCosts.TreeAllReduce(p, n, Alpha, Beta),
            Time(Uniform(p), true, net => new TreeAllReduce(net, Ranks(p), n)));
        // Without contention modelling the analytical backend can only be faster.
        Assert.True(Time(Uniform(p), false, net => new TreeAllReduce(net, Ranks(p), n)) <= CollectiveCosts.TreeAllReduce(p, n, Alpha, Beta) * (1 + 1e-12));
    }

    [Fact]
    public void Double_binary_tree_shape()
    {
        foreach (int p in new[] { 4, 8, 31, 64, 1000 })
        {
            var t = new DoubleBinaryTree(p);
            Assert.Equal(-1, t.ParentA[0]);
            Assert.Equal(1, t.ParentA.Count(x => x < 0));
            Assert.Equal(1, t.ParentB.Count(x => x < 0));
            Assert.InRange(Math.Max(t.DepthA, t.DepthB), (int)Math.Log2(p), (int)Math.Ceiling(Math.Log2(p)) + 1);
            Assert.Equal(4, t.MaxTreeLinksPerRank);
            // Odd ranks are leaves of tree A; for even p they are inner nodes (or leaves) of B only.
            var childrenA = new int[p];
            foreach (int parent in t.ParentA) if (parent >= 0) childrenA[parent]++;
            for (int r = 1; r < p; r += 2) Assert.Equal(0, childrenA[r]);
        }
    }

    [Theory]
    [InlineData(2, 1e5)] [InlineData(3, 3.3e6)] [InlineData(6, 3.3e6)] [InlineData(6, 2 * 524288.0)]
    public void Pipelined_broadcast(int p, double n)
    {
        foreach (bool flow in new[] { true, false })
            AssertRelative(CollectiveCosts.PipelinedBroadcast(p, n, Alpha, Beta),
                Time(Uniform(p), flow, net => new PipelinedBroadcast(net, Ranks(p), n)));
        // Chunk divides n: the textbook (k + p - 2)(alpha + c beta).
        const double c = 524288.0;
        Assert.Equal((4 + 5 - 2) * (Alpha + c * Beta), CollectiveCosts.PipelinedBroadcast(5, 4 * c, Alpha, Beta), 1e-15);
    }

    [Theory]
    [InlineData(2)] [InlineData(5)] [InlineData(8)]
    public void All_to_all_and_send_recv(int p)
    {
        const double n = 8e7;
        AssertRelative(CollectiveCosts.AllToAll(p, n, Alpha, Beta), Time(Uniform(p), true, net => new AllToAll(net, Ranks(p), n)));
        AssertRelative(CollectiveCosts.SendRecv(n, Alpha, Beta), Time(Uniform(p), true, net => new SendRecv(net, 0, p - 1, n)));
        AssertRelative(CollectiveCosts.SendRecv(n, Alpha, Beta), Time(Uniform(p), false, net => new SendRecv(net, 0, p - 1, n)));
    }

    [Theory]
    [InlineData(4, 4)] [InlineData(3, 8)] [InlineData(1, 8)]
    public void Hierarchical_allreduce_on_a_rail_optimized_cluster(int nodes, int gpus)
    {
        const double n = 2.56e8, intraBw = 3e11, nicBw = 2.5e10, intraLat = 0.5e-6, nicLat = 2e-6;
        var node = HardwarePresets.DgxA100 with { DevicesPerNode = gpus, NicCount = gpus, IntraNodeBandwidth = intraBw, IntraNodeLatency = intraLat, NicBandwidth = nicBw, NicLatency = nicLat };
        var t = RailOptimized.Create(nodes, node, new FabricSpec { Kind = FabricKind.RailOptimized, LeafDownPorts = 8 });
        double expected = CollectiveCosts.HierarchicalAllReduce(nodes, gpus, n, 2 * intraLat, 1 / intraBw, 2 * nicLat, 1 / nicBw);
        foreach (bool flow in new[] { true, false })
            AssertRelative(expected, Time(t, flow, net => new HierarchicalAllReduce(net, Ranks(nodes * gpus), n, gpus)));
    }

    [Fact]
    public void Aggregated_ring_at_scale_is_the_slowest_edge()
    {
        // 4096 GPUs on a three-level fat tree: ring edges share no link, so the aggregated ring must end
        // exactly when its slowest edge does: max over edges of 2(p-1) alpha_e + 2(p-1)/p n / bw_e.
        const int p = 4096;
        const double n = 1e8;
        var t = FatTree.ThreeLevel(p, 2.5e10, 1e-6, new FabricSpec { Kind = FabricKind.FatTree3, Oversubscription = 2 });
        double expected = 0;
        for (int r = 0; r < p; r++)
        {
            int next = (r + 1) % p;
            expected = Math.Max(expected, 2.0 * (p - 1) * t.PathLatency(r, next) + 2.0 * (p - 1) / p * n / t.PathBandwidth(r, next));
        }
        AssertRelative(expected, Time(t, true, net => new RingCollective(net, Ranks(p), n, CollectiveKind.AllReduce)));
    }

    [Fact]
    public void Factory_rejects_unsupported_pairs_listing_the_supported()
    {
        var net = new AnalyticalNetwork(new Simulation(), Uniform(4));
        var e = Assert.Throws<ArgumentException>(() => CollectiveFactory.Create(CollectiveKind.Broadcast, CollectiveAlgorithm.Tree, net, Ranks(4), 1e6));
        Assert.Contains("Ring", e.Message);
        Assert.IsType<HierarchicalAllReduce>(CollectiveFactory.Create(CollectiveKind.AllReduce, CollectiveAlgorithm.Hierarchical, net, Ranks(4), 1e6, 2));
    }

    [Fact]
    public void Bus_bandwidth_factors_follow_nccl_tests()
    {
        Assert.Equal(2.0 * 7 / 8, BusBandwidth.Factor(CollectiveKind.AllReduce, 8));
        Assert.Equal(7.0 / 8, BusBandwidth.Factor(CollectiveKind.AllGather, 8));
        Assert.Equal(7.0 / 8, BusBandwidth.Factor(CollectiveKind.ReduceScatter, 8));
        Assert.Equal(7.0 / 8, BusBandwidth.Factor(CollectiveKind.AllToAll, 8));
        Assert.Equal(1.0, BusBandwidth.Factor(CollectiveKind.Broadcast, 8));
        // A bandwidth-bound ring all-reduce's bus bandwidth is the link bandwidth.
        double time = CollectiveCosts.RingAllReduce(8, 1e9, 0, Beta);
        Assert.Equal(Bandwidth, BusBandwidth.Of(CollectiveKind.AllReduce, 8, 1e9, time), 1e-3);
    }
}

public class RingChannelTests
{
    [Fact]
    public void Rotated_channels_spread_a_ring_over_every_rail()
    {
        // 4 DGX A100 nodes: rails at 25 GB/s, NVSwitch at 300 GB/s. One ring crosses each node boundary
        // on a single NIC; 8 rotated channels use all 8 NICs, each ring carrying n/8.
        const int nodes = 4, g = 8, p = nodes * g;
        const double n = 1e9;
        // One spine with 4 x 25 GB/s uplinks per rail switch: no ECMP collisions to muddy the oracle
        // (with many spines two ring edges may hash onto one uplink and share it, as on real fabrics).
        var t = RailOptimized.Create(nodes, HardwarePresets.DgxA100, new FabricSpec { Kind = FabricKind.RailOptimized, LeafDownPorts = 4, UplinksPerLeaf = 1 });
        var ranks = Enumerable.Range(0, p).ToArray();
        double nic = HardwarePresets.DgxA100.NicBandwidth;
        double single = CollectiveOracleTests.Time(t, true, net => new RingCollective(net, ranks, n, CollectiveKind.AllReduce));
        Assert.Equal(2.0 * (p - 1) * t.PathLatency(7, 8) + 2.0 * (p - 1) / p * n / nic, single, single * 1e-9);

        var sim = new Simulation(1);
        var flow = new FlowNetwork(sim, t);
        var ring = new RingCollective(flow, ranks, n, CollectiveKind.AllReduce, RingMode.Aggregated, g, g);
        ring.Run();
        sim.Run();
        // No two ring edges share a link here, so the rings end with their slowest edge.
        double edgeBytes = 2.0 * (p - 1) / p * n / g, expected = 0;
        int sameRail = 0;
        for (int c = 0; c < g; c++)
        {
            Assert.Equal(p, Enumerable.Range(0, p).Select(i => ring.Position(c, i)).Distinct().Count());
            for (int i = 0; i < p; i++)
            {
                int a = ring.Position(c, i), b = ring.Position(c, (i + 1) % p);
                expected = Math.Max(expected, 2.0 * (p - 1) * t.PathLatency(a, b) + edgeBytes / t.PathBandwidth(a, b));
                if (a / g != b / g && a % g == b % g) sameRail++;
            }
        }
        Assert.Equal(expected, ring.Duration, expected * 1e-9);
        Assert.Equal(g * (nodes - 1), sameRail); // only the wrap-around edges change rails
        Assert.True(ring.Duration < single / 4);
        // Every NIC's up-link carried exactly one channel's edge.
        var path = new int[Topology.MaxPathLength];
        for (int r = 0; r < p; r++)
        {
            t.Route(r, (r + g) % p, path);
            Assert.Equal(edgeBytes, flow.Counters.LinkBytes[path[0]], 1e-3);
        }
    }
}

public class RingOrderTests
{
    [Fact]
    public void Dgx1_ring_runs_over_direct_nvlinks_only()
    {
        var spec = HardwarePresets.Cluster("dgx1-v100", 2);
        var t = ClusterTopology.Build(spec);
        var order = RingOrder.Arrange(t, Enumerable.Range(0, 16).ToArray(), 8);
        for (int i = 0; i < 8; i++)
        {
            Assert.Equal(1, Sim.Models.Tests.Network.TestTopologies.PathLength(t, order[i], order[(i + 1) % 8]));        // node 0
            Assert.Equal(1, Sim.Models.Tests.Network.TestTopologies.PathLength(t, order[8 + i], order[8 + (i + 1) % 8])); // node 1
        }
        Assert.Equal(Enumerable.Range(0, 16), order.Order());
        // The cube mesh has a ring made of doubled NVLinks only (0-3-2-1-5-6-7-4): 50 GB/s per edge.
        for (int i = 0; i < 8; i++) Assert.Equal(2 * spec.Node.IntraNodeBandwidth, t.PathBandwidth(order[i], order[(i + 1) % 8]));
        // One node: the factory's ring is then an uncontended ring of doubled NVLinks.
        const double n = 4e8;
        double time = CollectiveOracleTests.Time(t, true, net => CollectiveFactory.Create(CollectiveKind.AllReduce, CollectiveAlgorithm.Ring, net, Enumerable.Range(0, 8).ToArray(), n, 8));
        double expected = CollectiveCosts.RingAllReduce(8, n, spec.Node.IntraNodeLatency, 1 / (2 * spec.Node.IntraNodeBandwidth));
        Assert.Equal(expected, time, expected * 1e-9);
    }

    [Fact]
    public void Nvswitch_nodes_keep_rank_order()
    {
        var t = ClusterTopology.Build(HardwarePresets.Cluster("dgx-a100", 2));
        Assert.Equal(Enumerable.Range(0, 16), RingOrder.Arrange(t, Enumerable.Range(0, 16).ToArray(), 8));
    }
}
