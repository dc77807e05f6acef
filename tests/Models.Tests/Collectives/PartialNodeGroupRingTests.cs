using Sim.Models.Collectives;
using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Models.Tests.Collectives;

/// <summary>
/// A data-parallel group of a tensor- or pipeline-parallel job holds only some GPUs of each node. Its ring has one
/// channel per GPU it has on a node (each leaves on that GPU's own NIC), not a whole node's worth: before this the
/// factory gave any group whose size was a multiple of 8 eight channels, with blocks of 8 ranks taken for nodes they
/// were not, so a 16-rank group with 2 GPUs per node ran about 8 NICs' worth and a 4-rank one 1 NIC's worth.
/// </summary>
public class PartialNodeGroupRingTests
{
    private const int G = 8;

    [Fact]
    public void Ranks_per_node_are_counted_from_node_major_ranks()
    {
        Assert.Equal(8, CollectiveFactory.RanksPerNode(Enumerable.Range(0, 32).ToArray(), G));             // whole nodes
        Assert.Equal(2, CollectiveFactory.RanksPerNode(Enumerable.Range(0, 16).Select(i => 4 * i).ToArray(), G)); // TP 4: ranks 0, 4, 8, ...
        Assert.Equal(1, CollectiveFactory.RanksPerNode(Enumerable.Range(0, 64).Select(i => 8 * i).ToArray(), G)); // TP 8: one per node
        Assert.Equal(1, CollectiveFactory.RanksPerNode([0, 1, 8, 16, 17], G));                                   // unequal blocks: no channels assumed
        Assert.Equal(1, CollectiveFactory.RanksPerNode([0, 1, 8, 9, 2, 3], G));                                   // a node visited twice
        Assert.Equal(1, CollectiveFactory.RanksPerNode(Enumerable.Range(0, 16).ToArray(), 1));
    }

    [Theory]
    [InlineData(8, 8)]  // 8 nodes x 1 GPU (TP 8): one NIC's worth
    [InlineData(4, 16)] // 8 nodes x 2 GPUs (TP 4): two NICs' worth
    [InlineData(2, 32)] // 8 nodes x 4 GPUs (TP 2)
    [InlineData(1, 64)] // whole nodes: eight channels, as before
    public void A_partial_group_runs_one_channel_per_gpu_it_has_on_a_node(int stride, int p)
    {
        const double n = 1e9;
        var t = ClusterTopology.Build(HardwarePresets.Cluster("dgx-h100", 8));
        var ranks = Enumerable.Range(0, p).Select(i => stride * i).ToArray();
        int perNode = G / stride;
        // The simulated ring (flow-level) equals the closed form with perNode channels over the NIC path.
        double simulated = CollectiveOracleTests.Time(t, true, net => CollectiveFactory.Create(CollectiveKind.ReduceScatter, CollectiveAlgorithm.Ring, net, ranks, n, G));
        Assert.Equal(simulated, CollectiveEstimator.Estimate(CollectiveKind.ReduceScatter, CollectiveAlgorithm.Ring, t, ranks, n, G), simulated * 1e-9);
        // Bus bandwidth: per NIC at most the NIC's rate, so perNode NICs bound the group's inter-node rate.
        double busBandwidth = n * (p - 1) / p / simulated;
        Assert.InRange(busBandwidth, 0, perNode * 400e9 / 8 * 1.0001);
        // And the channels do get used: within 10% of perNode NICs once latency is small against 1 GB.
        Assert.True(busBandwidth > 0.9 * perNode * 400e9 / 8, $"busbw {busBandwidth / 1e9:F1} GB/s for {perNode} GPUs per node");
    }
}
