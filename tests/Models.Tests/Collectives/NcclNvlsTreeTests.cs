using Sim.Models.Collectives;
using Sim.Models.Collectives.Nccl;
using Sim.Models.Hardware;

namespace Sim.Models.Tests.Collectives;

/// <summary>
/// NVLS (NVLink SHARP) and NVLS-tree (NVLS inside each node, a tree of nodes over the network) against
/// hand-computed figures: bandwidth from the bytes each NVLink port and each node's NICs carry, latency
/// from NCCL's constants (one NVLS hop plus two network hops per tree level).
/// </summary>
public sealed class NcclNvlsTreeTests
{
    private static readonly NcclSystem H100x2 = NcclSystem.For(HardwarePresets.DgxH100, 2);

    [Fact]
    public void NVLS_moves_S_times_1_plus_1_over_n_each_way_on_every_NVLink_port()
    {
        // 8 H100: 18 links x 20.6 GB/s x 0.85 / (1 + 1/8) = 280.2 GB/s algorithm bandwidth, 490 GB/s bus.
        double algbw = 18 * 20.6 * 0.85 / (1 + 1.0 / 8);
        Assert.Equal(algbw, NcclTuningModel.NvlsAlgorithmBandwidthGBps(NcclSystem.For(HardwarePresets.DgxH100, 1)), 9);
        Assert.Equal(algbw, NcclTuningModel.AlgorithmBandwidthGBps(CollectiveKind.AllReduce, NcclAlgorithm.Nvls, NcclProtocol.Simple, NcclSystem.For(HardwarePresets.DgxH100, 1)), 9);
    }

    [Fact]
    public void Two_H100_nodes_are_bound_by_the_NVSwitch_side_and_half_the_network_by_the_NICs()
    {
        double nvls = 18 * 20.6 * 0.85 / (1 + 1.0 / 8);  // 280.2 GB/s
        double nics = 400 * 0.94;                         // 8 x 400 Gb/s at 94% of line rate: 376 GB/s
        Assert.Equal(Math.Min(nvls, nics), NcclTuningModel.NvlsTreeAlgorithmBandwidthGBps(H100x2), 9);
        Assert.Equal(200 * 0.94, NcclTuningModel.NvlsTreeAlgorithmBandwidthGBps(H100x2 with { InterGBps = 200 }), 9);
        // Beyond two nodes interior tree nodes carry twice the traffic.
        Assert.Equal(200 * 0.94 / 2, NcclTuningModel.NvlsTreeAlgorithmBandwidthGBps(NcclSystem.For(HardwarePresets.DgxH100, 4) with { InterGBps = 200 }), 9);
    }

    [Fact]
    public void NVLS_tree_latency_is_one_NVLS_hop_plus_two_network_hops_per_level()
    {
        Assert.Equal(23 + 2 * 1 * 14.0, NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, NcclProtocol.Simple, H100x2), 12);
        var h100x16 = NcclSystem.For(HardwarePresets.DgxH100, 16);
        Assert.Equal(23 + 2 * 4 * 14.0, NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, NcclProtocol.Simple, h100x16), 12);
    }

    [Fact]
    public void Large_all_reduces_on_two_H100_nodes_take_NVLS_tree_and_reach_its_bus_bandwidth()
    {
        double bytes = 8.0 * (1L << 30);
        var (algorithm, protocol, seconds) = NcclTuningModel.Choose(CollectiveKind.AllReduce, H100x2, bytes);
        Assert.Equal((NcclAlgorithm.NvlsTree, NcclProtocol.Simple), (algorithm, protocol));
        double algbw = bytes / seconds / 1e9, nvls = 18 * 20.6 * 0.85 / (1 + 1.0 / 8);
        Assert.InRange(algbw, 0.99 * nvls, nvls);
    }

    [Fact]
    public void NVLS_tree_is_never_offered_on_one_node_on_Ampere_or_for_other_collectives()
    {
        var one = NcclSystem.For(HardwarePresets.DgxH100, 1);
        var a100 = NcclSystem.For(HardwarePresets.DgxA100, 2);
        Assert.True(double.IsPositiveInfinity(NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, NcclProtocol.Simple, one, 1 << 30)));
        Assert.True(double.IsPositiveInfinity(NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, NcclProtocol.Simple, a100, 1 << 30)));
        Assert.True(double.IsPositiveInfinity(NcclTuningModel.Seconds(CollectiveKind.AllGather, NcclAlgorithm.NvlsTree, NcclProtocol.Simple, H100x2, 1 << 30)));
        Assert.True(double.IsPositiveInfinity(NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, NcclProtocol.Ll128, H100x2, 1 << 30)));
    }

    [Fact]
    public void Ring_to_NVLS_tree_crossover_falls_where_the_closed_forms_cross()
    {
        // Both are a + bytes / (1000 b) us; the tuner switches where the lines cross.
        NcclProtocol[] protocols = [NcclProtocol.Ll, NcclProtocol.Ll128, NcclProtocol.Simple];
        double Best(double bytes) => protocols.Min(p => Math.Min(
            NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, p, H100x2, bytes),
            NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, p, H100x2, bytes)));
        double NvlsTree(double bytes) => NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, NcclProtocol.Simple, H100x2, bytes);
        double lo = 1, hi = 1L << 33;
        for (int i = 0; i < 200; i++) { double mid = Math.Sqrt(lo * hi); if (NvlsTree(mid) < Best(mid)) hi = mid; else lo = mid; }
        Assert.Equal(NcclAlgorithm.NvlsTree, NcclTuningModel.Choose(CollectiveKind.AllReduce, H100x2, 1.01 * hi).Algorithm);
        Assert.NotEqual(NcclAlgorithm.NvlsTree, NcclTuningModel.Choose(CollectiveKind.AllReduce, H100x2, 0.99 * lo).Algorithm);
        Assert.InRange(hi, 1e5, 1e9); // between 100 kB and 1 GB on two DGX H100
    }

    [Fact]
    public void On_one_H100_node_ring_LL_hands_over_to_NVLS_where_the_closed_forms_cross()
    {
        var h100 = NcclSystem.For(HardwarePresets.DgxH100, 1);
        // Ring LL: 6.6 + 14 x 0.6 us, LL bus capped at 87.7 GB/s (Hopper, one node), x 8/14 as algbw.
        double aLl = 6.6 + 14 * 0.6, bLl = Math.Min(87.7, 18 * 20.6 / 4) * 8 / 14;
        // NVLS: 23 us, 18 x 20.6 x 0.85 / (1 + 1/8) GB/s.
        double aNvls = 23, bNvls = 18 * 20.6 * 0.85 / (1 + 1.0 / 8);
        double cross = 1000 * (aNvls - aLl) / (1 / bLl - 1 / bNvls); // bytes
        Assert.InRange(cross, 400e3, 600e3);                       // about 490 kB
        Assert.Equal((NcclAlgorithm.Ring, NcclProtocol.Ll), Pair(h100, 0.95 * cross));
        Assert.Equal((NcclAlgorithm.Nvls, NcclProtocol.Simple), Pair(h100, 1.05 * cross));
        // LL128 (40.6 us, 195 GB/s) never wins there: slower to start than NVLS and narrower.
        for (double bytes = 8; bytes <= 8.0 * (1L << 30); bytes *= 2)
            Assert.NotEqual(NcclProtocol.Ll128, NcclTuningModel.Choose(CollectiveKind.AllReduce, h100, bytes).Protocol);
    }

    private static (NcclAlgorithm, NcclProtocol) Pair(NcclSystem sys, double bytes)
    {
        var (algorithm, protocol, _) = NcclTuningModel.Choose(CollectiveKind.AllReduce, sys, bytes);
        return (algorithm, protocol);
    }
}
