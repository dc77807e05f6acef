using Sim.Models.Collectives;
using Sim.Models.Collectives.Nccl;
using Sim.Models.Hardware;

namespace Sim.Models.Tests.Collectives;

/// <summary>
/// Where NCCL's tuner switches algorithm on Hopper, against the closed forms a + bytes / b of the two
/// candidates: ring LL to NVLS inside one H100 node, and tree LL128 to NVLS-tree across two, where the
/// network plugin's reported latency moves the switch by an order of magnitude.
/// </summary>
public sealed class NcclAlgorithmCrossoverTests
{
    private static double Cross(double a1, double b1, double a2, double b2) => 1000 * (a2 - a1) / (1 / b1 - 1 / b2);

    [Fact]
    public void One_H100_node_switches_from_ring_LL_to_NVLS_near_half_a_megabyte()
    {
        var sys = NcclSystem.For(HardwarePresets.DgxH100, 1);
        // Ring LL: 6.6 + 14 x 0.6 us, a quarter of 370.8 GB/s capped at 87.7, times 8/14.
        double aLl = 6.6 + 14 * 0.6, bLl = Math.Min(87.7, 18 * 20.6 / 4) * 8 / 14;
        // NVLS: 23 us, 370.8 x 0.85 / (1 + 1/8) GB/s.
        double aNvls = 23, bNvls = 18 * 20.6 * 0.85 / (1 + 1.0 / 8);
        double x = Cross(aLl, bLl, aNvls, bNvls);
        Assert.InRange(x, 450e3, 520e3);
        Assert.Equal(NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Ll, sys, x),
            NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Nvls, NcclProtocol.Simple, sys, x), 12);
        Assert.Equal((NcclAlgorithm.Ring, NcclProtocol.Ll), Pick(sys, 0.9 * x));
        Assert.Equal((NcclAlgorithm.Nvls, NcclProtocol.Simple), Pick(sys, 1.1 * x));
    }

    [Fact]
    public void From_NCCL_2_21_one_H100_node_keeps_ring_LL_to_about_a_megabyte()
    {
        // NCCL 2.21's tables: ring LL at half of 370.8 GB/s capped at 141 (Hopper, one node), times 8/14;
        // NVLS at 25 us. The switch moves from ~0.5 MB to ~1.1 MB: 1 MiB runs ring LL, 2 MiB NVLS.
        var sys = NcclSystem.For(HardwarePresets.DgxH100, 1) with { NcclMinorVersion = 21 };
        double aLl = 6.6 + 14 * 0.6, bLl = Math.Min(141, 18 * 20.6 / 2) * 8 / 14;
        double aNvls = 25, bNvls = 18 * 20.6 * 0.85 / (1 + 1.0 / 8);
        double x = Cross(aLl, bLl, aNvls, bNvls);
        Assert.InRange(x, 1.10e6, 1.16e6);
        Assert.Equal(NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Ll, sys, x),
            NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Nvls, NcclProtocol.Simple, sys, x), 12);
        Assert.Equal((NcclAlgorithm.Ring, NcclProtocol.Ll), Pick(sys, 1 << 20));
        Assert.Equal((NcclAlgorithm.Nvls, NcclProtocol.Simple), Pick(sys, 2 << 20));
        // The version changes only the tables: 2.20 switches at half a megabyte as above.
        Assert.Equal((NcclAlgorithm.Nvls, NcclProtocol.Simple), Pick(sys with { NcclMinorVersion = 20 }, 1 << 20));
        // Beyond one node the LL cap is the host's (22.5 GB/s on AMD, two nodes) in every version.
        var two = NcclSystem.For(HardwarePresets.DgxH100, 2) with { AmdHost = true };
        Assert.Equal(NcclTuningModel.AlgorithmBandwidthGBps(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Ll, two),
            NcclTuningModel.AlgorithmBandwidthGBps(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Ll, two with { NcclMinorVersion = 23 }), 12);
        Assert.Equal(22.5 * 16 / 30, NcclTuningModel.AlgorithmBandwidthGBps(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Ll, two), 9);
    }

    [Fact]
    public void Two_H100_nodes_switch_from_tree_LL128_to_NVLS_tree_where_the_closed_forms_cross()
    {
        // With aws-ofi-nccl's 75 us per network hop (p5): tree LL128 14 + 2 (7 x 1.25 + (8.5 + 75)) us at
        // 370.8 x 0.92 x 120/128 / 2 GB/s times NCCL's mid-size tree factor (0.9 at 32-64 MiB); NVLS-tree
        // 23 + 2 (14 + 2 x 75) us at 280.2 GB/s (the NVSwitch side binds).
        var p5 = NcclSystem.For(HardwarePresets.DgxH100, 2) with { NetLatencyMicroseconds = 75 };
        double aTree = 14 + 2 * (7 * 1.25 + (8.5 + 75)), bTree = 18 * 20.6 * 0.92 * 120 / 128 / 2 * 0.9;
        double aNvlsTree = 23 + 2 * (14.0 + 150), bNvlsTree = 18 * 20.6 * 0.85 / (1 + 1.0 / 8);
        double x = Cross(aTree, bTree, aNvlsTree, bNvlsTree);
        Assert.InRange(x, 32.0 * (1 << 20), 64.0 * (1 << 20)); // inside the band where the tree factor is 0.9
        Assert.Equal(0.9, NcclTuningModel.TreeCorrection(NcclProtocol.Ll128, x), 12);
        Assert.Equal(NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Ll128, p5, x),
            NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, NcclProtocol.Simple, p5, x), 12);
        Assert.Equal((NcclAlgorithm.Tree, NcclProtocol.Ll128), Pick(p5, 0.95 * x));
        Assert.Equal((NcclAlgorithm.NvlsTree, NcclProtocol.Simple), Pick(p5, 1.05 * x));

        // Without a plugin latency (InfiniBand) NVLS-tree takes over an order of magnitude earlier.
        var ib = NcclSystem.For(HardwarePresets.DgxH100, 2);
        double firstNvlsTree = FirstSize(ib, NcclAlgorithm.NvlsTree);
        Assert.InRange(firstNvlsTree, 256 << 10, 16 << 20);
        Assert.True(FirstSize(p5, NcclAlgorithm.NvlsTree) > 8 * firstNvlsTree);
    }

    [Fact]
    public void NCCL_PROTO_simple_leaves_only_Simple_at_every_size()
    {
        var simple = NcclSystem.For(HardwarePresets.DgxA100, 2) with { SimpleOnly = true };
        for (double bytes = 1024; bytes <= 1 << 30; bytes *= 4)
            Assert.Equal(NcclProtocol.Simple, NcclTuningModel.Choose(CollectiveKind.AllReduce, simple, bytes).Protocol);
        Assert.Equal(0, NcclTuningModel.AlgorithmBandwidthGBps(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Ll, simple));
        // Small messages pay Simple's latency, the lesser of the tree's 2 (7 x 28 + 1 x 28) us and the
        // ring's 8.4 + 26 x 6 (AMD hosts: 2 us network overhead x 3 for Simple) + 4 x 14 us, not LL's ~20 us.
        double tree = 2 * (7 * 28.0 + 28), ring = 8.4 + 26 * 6.0 + 4 * 14;
        Assert.Equal(Math.Min(tree, ring), NcclTuningModel.Choose(CollectiveKind.AllReduce, simple, 8).Seconds * 1e6, 0.01);
    }

    private static (NcclAlgorithm, NcclProtocol) Pick(NcclSystem sys, double bytes)
    {
        var (a, p, _) = NcclTuningModel.Choose(CollectiveKind.AllReduce, sys, bytes);
        return (a, p);
    }

    private static double FirstSize(NcclSystem sys, NcclAlgorithm algorithm)
    {
        for (double bytes = 1024; bytes < 1e11; bytes *= 1.05)
            if (NcclTuningModel.Choose(CollectiveKind.AllReduce, sys, bytes).Algorithm == algorithm) return bytes;
        return double.PositiveInfinity;
    }
}
