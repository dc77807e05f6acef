using Sim.Models.Collectives;
using Sim.Models.Hardware;
using Sim.Models.Network;
using static Sim.Models.Tests.Network.TestTopologies;

namespace Sim.Models.Tests.Collectives;

/// <summary>The analytical fast path (closed forms fed with the topology's alpha and beta) must agree with
/// simulating the same collective on the flow-level network wherever no link is shared.</summary>
public class CollectiveEstimatorTests
{
    [Theory]
    [InlineData(CollectiveKind.AllReduce, CollectiveAlgorithm.Ring, 8)]
    [InlineData(CollectiveKind.AllGather, CollectiveAlgorithm.Ring, 5)]
    [InlineData(CollectiveKind.ReduceScatter, CollectiveAlgorithm.Rhd, 8)]
    [InlineData(CollectiveKind.AllReduce, CollectiveAlgorithm.Rhd, 16)]
    [InlineData(CollectiveKind.AllReduce, CollectiveAlgorithm.Tree, 12)]
    [InlineData(CollectiveKind.Broadcast, CollectiveAlgorithm.Ring, 6)]
    [InlineData(CollectiveKind.AllToAll, CollectiveAlgorithm.Direct, 6)]
    public void Estimate_equals_simulation_on_a_uniform_switch(CollectiveKind kind, CollectiveAlgorithm algorithm, int p)
    {
        const double n = 3e7;
        var ranks = Enumerable.Range(0, p).ToArray();
        double simulated = CollectiveOracleTests.Time(Uniform(p), true, net => CollectiveFactory.Create(kind, algorithm, net, ranks, n));
        Assert.Equal(simulated, CollectiveEstimator.Estimate(kind, algorithm, Uniform(p), ranks, n), simulated * 1e-9);
    }

    [Theory]
    [InlineData(CollectiveAlgorithm.Ring)]
    [InlineData(CollectiveAlgorithm.Hierarchical)]
    public void Estimate_equals_simulation_on_a_rail_optimized_cluster(CollectiveAlgorithm algorithm)
    {
        const int nodes = 4, g = 8;
        const double n = 5e8;
        var t = RailOptimized.Create(nodes, HardwarePresets.DgxH100, new FabricSpec { Kind = FabricKind.RailOptimized, LeafDownPorts = 4, UplinksPerLeaf = 1 });
        var ranks = Enumerable.Range(0, nodes * g).ToArray();
        double simulated = CollectiveOracleTests.Time(t, true, net => CollectiveFactory.Create(CollectiveKind.AllReduce, algorithm, net, ranks, n, g));
        Assert.Equal(simulated, CollectiveEstimator.Estimate(CollectiveKind.AllReduce, algorithm, t, ranks, n, g), simulated * 1e-9);
    }

    [Fact]
    public void Estimate_follows_the_nvlink_ring_order_on_a_dgx1()
    {
        var t = ClusterTopology.Build(HardwarePresets.Cluster("dgx1-v100", 1));
        var ranks = Enumerable.Range(0, 8).ToArray();
        double simulated = CollectiveOracleTests.Time(t, true, net => CollectiveFactory.Create(CollectiveKind.AllReduce, CollectiveAlgorithm.Ring, net, ranks, 1e8, 8));
        Assert.Equal(simulated, CollectiveEstimator.Estimate(CollectiveKind.AllReduce, CollectiveAlgorithm.Ring, t, ranks, 1e8, 8), simulated * 1e-9);
    }
}
