using Sim.Models.Collectives;
using Sim.Models.Collectives.Nccl;
using Sim.Models.Hardware;

namespace Sim.Models.Tests.Collectives;

/// <summary>
/// What crosses the network in NCCL's model: the latency a network plugin reports, added to every network
/// hop (twice for Simple, NCCL 2.19 tuning.cc), and the two-node double binary tree, whose nodes each send
/// half the buffer up one tree and half down the other, S each way through their NICs.
/// </summary>
public sealed class NcclNetworkHopTests
{
    private static readonly NcclSystem A100x2 = NcclSystem.For(HardwarePresets.DgxA100, 2);
    private static readonly NcclSystem H100x2 = NcclSystem.For(HardwarePresets.DgxH100, 2);

    [Fact]
    public void A_plugins_latency_is_added_to_each_network_hop_and_twice_for_Simple()
    {
        var efa = H100x2 with { NetLatencyMicroseconds = 75 };
        // Tree LL: 6.8 + 2 (7 x 0.6 + 1 x (5.0 + 75)).
        Assert.Equal(6.8 + 2 * (7 * 0.6 + (5.0 + 75)), NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Ll, efa), 12);
        // NVLS-tree (Simple only): 23 + 2 x 1 x (14 + 2 x 75).
        Assert.Equal(23 + 2 * (14.0 + 150), NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, NcclProtocol.Simple, efa), 12);
        // Ring Simple: only the 2 x nodes network steps pay it, 2 x 75 each.
        double ringPlain = NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Simple, H100x2);
        Assert.Equal(ringPlain + 2 * 2 * 150, NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Simple, efa), 9);
        // Inside one node nothing crosses the network.
        var one = NcclSystem.For(HardwarePresets.DgxH100, 1);
        Assert.Equal(NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Ll, one),
            NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Ll, one with { NetLatencyMicroseconds = 75 }), 12);
    }

    [Fact]
    public void NCCL_2_18_gave_NVLS_no_latency_inside_the_node_and_NVLS_tree_19_us_per_level()
    {
        var efa = H100x2 with { NetLatencyMicroseconds = 75, NcclMinorVersion = 18 };
        Assert.Equal(2 * (19.0 + 150), NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, NcclProtocol.Simple, efa), 12);
        Assert.Equal(0, NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Nvls, NcclProtocol.Simple,
            NcclSystem.For(HardwarePresets.DgxH100, 1) with { NcclMinorVersion = 18 }));
        Assert.Equal(23 + 2 * (14.0 + 150), NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, NcclProtocol.Simple, efa with { NcclMinorVersion = 19 }), 12);
    }

    [Fact]
    public void Up_to_NCCL_2_17_a_plugins_latency_replaces_the_network_hop_once_for_every_protocol()
    {
        // NCCL 2.17.1 tuning.cc: interLat = latencyInter ? latencyInter : hwLat[NET]; no per-step network
        // overhead on rings; multi-node LL pays 1.8 x its NVLink hop. aws-ofi-nccl before v1.7 reported 150 us.
        var p4de = A100x2 with { NetLatencyMicroseconds = 150, NcclMinorVersion = 17, AmdHost = false };
        // Tree Simple: 0 + 2 (7 x 28 + 1 x 150) = 692 us (2.18 on: 2 (7 x 28 + (28 + 2 x 150)) = 1048).
        Assert.Equal(2 * (7 * 28.0 + 150), NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Simple, p4de), 12);
        Assert.Equal(2 * (7 * 28.0 + (28 + 300)), NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Simple, p4de with { NcclMinorVersion = 18 }), 12);
        // Ring Simple: 8.4 + (30 - 4) x 3.4 + 4 x 150 (NCCL counts 2 x nodes network steps).
        Assert.Equal(8.4 + 26 * 3.4 + 4 * 150, NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Simple, p4de), 9);
        // Tree LL: 6.8 + 2 (7 x 0.6 x 1.8 + 150).
        Assert.Equal(6.8 + 2 * (7 * 0.6 * 1.8 + 150), NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Ll, p4de), 9);
        // Without a plugin figure NCCL's own network hop stays.
        Assert.Equal(2 * (7 * 28.0 + 28), NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Simple, p4de with { NetLatencyMicroseconds = 0 }), 12);
    }

    [Fact]
    public void From_NCCL_2_23_tree_Simple_is_remeasured_and_rings_count_two_fewer_network_steps()
    {
        // tuning.cc v2.23.4: tree Simple base 8.4 us, 4 us per NVLink hop, 14 per network hop (was 0, 28, 28);
        // an all-reduce ring's network steps 2 (nodes - 1) (was 2 x nodes).
        var one = NcclSystem.For(HardwarePresets.DgxH100, 1);
        Assert.Equal(8.4 + 2 * 7 * 4.0, NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Simple, one with { NcclMinorVersion = 23 }), 12);
        Assert.Equal(2 * 7 * 28.0, NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Simple, one with { NcclMinorVersion = 22 }), 12);
        var ib = H100x2 with { NcclMinorVersion = 23, AmdHost = false };
        Assert.Equal(8.4 + 2 * (7 * 4.0 + 14), NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Simple, ib), 12);
        // Ring Simple, 16 ranks: 8.4 + (30 - 2) x max(3.4, 1 x 3) + 2 x 14 (2.22: 8.4 + 26 x 3.4 + 4 x 14).
        Assert.Equal(8.4 + 28 * 3.4 + 2 * 14.0, NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Simple, ib), 9);
        Assert.Equal(8.4 + 26 * 3.4 + 4 * 14.0, NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Simple, ib with { NcclMinorVersion = 22 }), 9);
        // Other protocols keep their figures: tree LL 6.8 + 2 (7 x 0.6 + 5.0) in both.
        Assert.Equal(6.8 + 2 * (7 * 0.6 + 5.0), NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Ll, ib), 12);
    }

    [Fact]
    public void A_two_node_tree_moves_the_buffer_once_each_way_through_each_nodes_NICs()
    {
        // 2 x A100 with 4 x 100 Gb/s per node: NICs at 94% of 50 GB/s, both directions busy with S.
        var p4de = A100x2 with { InterGBps = 50 };
        double nics = 50 * 0.94;
        double tree = NcclTuningModel.AlgorithmBandwidthGBps(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Simple, p4de);
        Assert.Equal(Math.Min(240, 2 * nics) * 0.92 * 0.5, tree, 9);
        Assert.InRange(tree, 0.9 * nics, nics);
        // A ring crosses each node's NICs with 2(p-1)/p S: about half the tree's algorithm bandwidth.
        double ring = NcclTuningModel.AlgorithmBandwidthGBps(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Simple, p4de);
        Assert.Equal(nics * 16 / 30.0, ring, 9);
        Assert.Equal(NcclAlgorithm.Tree, NcclTuningModel.Choose(CollectiveKind.AllReduce, p4de, 1 << 30).Algorithm);
    }

    [Fact]
    public void Beyond_two_nodes_the_tree_keeps_half_the_NICs_and_inside_a_fast_network_the_NVLinks_bind()
    {
        var four = NcclSystem.For(HardwarePresets.DgxA100, 4) with { InterGBps = 50 };
        Assert.Equal(50 * 0.94 * 0.92 * 0.5, NcclTuningModel.AlgorithmBandwidthGBps(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Simple, four), 9);
        // DGX A100's 200 GB/s of NICs: twice that is beyond the 240 GB/s NCCL counts for 12 NVLinks.
        Assert.Equal(240 * 0.92 * 0.5, NcclTuningModel.AlgorithmBandwidthGBps(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Simple, A100x2), 9);
    }
}
