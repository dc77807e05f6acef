using Sim.Models.Collectives;
using Sim.Models.Collectives.Nccl;
using Sim.Models.Hardware;

namespace Sim.Models.Tests.Collectives;

/// <summary>
/// NCCL's tuning model against hand-computed figures from its published constants (src/graph/tuning.cc,
/// src/graph/topo.h): latencies of the smallest messages, protocol crossover sizes, the bus bandwidth
/// large messages reach, and the tuner's choices.
/// </summary>
public sealed class NcclTuningModelTests
{
    private static readonly NcclSystem A100x8 = NcclSystem.For(HardwarePresets.DgxA100, 1);
    private static readonly NcclSystem H100x8 = NcclSystem.For(HardwarePresets.DgxH100, 1);

    [Fact]
    public void NVLink_is_counted_at_NCCLs_per_link_rate_not_the_signalling_rate()
    {
        Assert.Equal(12 * 20.0, A100x8.IntraGBps, 12);   // 240 GB/s, not 300
        Assert.Equal(18 * 20.6, H100x8.IntraGBps, 12);   // 370.8 GB/s, not 450
        Assert.Equal(8 * 25.0, NcclSystem.For(HardwarePresets.DgxA100, 2).InterGBps, 12); // 8x HDR 200 Gb/s
    }

    [Fact]
    public void An_8_byte_all_reduce_costs_the_ring_LL_latency()
    {
        // Ring LL inside a node: base 6.6 us + 2(p-1) = 14 NVLink steps of 0.6 us = 15.0 us.
        var (algorithm, protocol, seconds) = NcclTuningModel.Choose(CollectiveKind.AllReduce, A100x8, 8);
        Assert.Equal((NcclAlgorithm.Ring, NcclProtocol.Ll), (algorithm, protocol));
        double llBus = Math.Min(87.7, 240.0 / 4), llAlg = llBus * 8 / 14;
        Assert.Equal(15.0e-6 + 8 / (1000 * llAlg) * 1e-6, seconds, 15);
    }

    [Fact]
    public void Protocol_crossovers_fall_where_the_closed_forms_cross()
    {
        // Ring on one DGX A100, all-reduce: latency a + bytes / (1000 b) us for each protocol.
        double aLl = 6.6 + 14 * 0.6, bLl = Math.Min(87.7, 240.0 / 4) * 8 / 14;
        double aLl128 = 14.0 + 14 * 1.9, bLl128 = 240 * 0.92 * 8 / 14;
        double aSimple = 8.4 + 14 * 3.4, bSimple = 240.0 * 8 / 14;
        double Cross(double a1, double b1, double a2, double b2) => 1000 * (a2 - a1) / (1 / b1 - 1 / b2);
        double llToLl128 = Cross(aLl, bLl, aLl128, bLl128), ll128ToSimple = Cross(aLl128, bLl128, aSimple, bSimple);
        Assert.InRange(llToLl128, 1.0e6, 1.5e6);      // about 1.2 MB
        Assert.InRange(ll128ToSimple, 20e6, 30e6);    // about 24 MB

        double Ring(NcclProtocol p, double bytes) => NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, p, A100x8, bytes);
        Assert.Equal(Ring(NcclProtocol.Ll, llToLl128), Ring(NcclProtocol.Ll128, llToLl128), 12);
        Assert.Equal(Ring(NcclProtocol.Ll128, ll128ToSimple), Ring(NcclProtocol.Simple, ll128ToSimple), 12);
        Assert.True(Ring(NcclProtocol.Ll, 0.9 * llToLl128) < Ring(NcclProtocol.Ll128, 0.9 * llToLl128));
        Assert.True(Ring(NcclProtocol.Ll128, 1.1 * llToLl128) < Ring(NcclProtocol.Ll, 1.1 * llToLl128));
        Assert.True(Ring(NcclProtocol.Simple, 1.1 * ll128ToSimple) < Ring(NcclProtocol.Ll128, 1.1 * ll128ToSimple));
    }

    [Fact]
    public void Large_all_reduces_approach_the_NCCL_link_bandwidth_as_bus_bandwidth()
    {
        double bytes = 8.0 * (1L << 30);
        var (algorithm, protocol, seconds) = NcclTuningModel.Choose(CollectiveKind.AllReduce, A100x8, bytes);
        Assert.Equal((NcclAlgorithm.Ring, NcclProtocol.Simple), (algorithm, protocol));
        double busbw = BusBandwidth.Of(CollectiveKind.AllReduce, 8, bytes, seconds) / 1e9;
        Assert.InRange(busbw, 0.99 * 240, 240);
    }

    [Fact]
    public void NVLink_SHARP_serves_large_all_reduces_on_one_H100_node_only()
    {
        Assert.Equal(NcclAlgorithm.Nvls, NcclTuningModel.Choose(CollectiveKind.AllReduce, H100x8, 1 << 30).Algorithm);
        Assert.NotEqual(NcclAlgorithm.Nvls, NcclTuningModel.Choose(CollectiveKind.AllReduce, A100x8, 1 << 30).Algorithm);
        // NVLS all-gather exists (NCCL 2.19 on) but is narrower than a ring at 1 GiB (NcclNvlsGatherScatterTests).
        Assert.Equal(NcclAlgorithm.Ring, NcclTuningModel.Choose(CollectiveKind.AllGather, H100x8, 1 << 30).Algorithm);
        Assert.True(double.IsPositiveInfinity(NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Nvls, NcclProtocol.Simple, NcclSystem.For(HardwarePresets.DgxH100, 2), 1 << 30)));
    }

    [Fact]
    public void Trees_win_small_messages_across_many_nodes_rings_win_large_ones_on_few()
    {
        var sys = NcclSystem.For(HardwarePresets.DgxA100, 64);
        Assert.Equal(NcclAlgorithm.Tree, NcclTuningModel.Choose(CollectiveKind.AllReduce, sys, 64 * 1024).Algorithm);
        // On 4 nodes the ring's bandwidth (p / 2(p-1) of the bus) beats the tree's (0.92 / 2).
        Assert.Equal(NcclAlgorithm.Ring, NcclTuningModel.Choose(CollectiveKind.AllReduce, NcclSystem.For(HardwarePresets.DgxA100, 4), 4.0 * (1L << 30)).Algorithm);
        // Tree latency: base + 2 ((ppn - 1) intra + log2(nodes) inter), LL: 6.8 + 2 (7 x 0.6 + 6 x 5.0).
        Assert.Equal(6.8 + 2 * (7 * 0.6 + 6 * 5.0), NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Ll, sys), 12);
    }

    [Fact]
    public void Time_never_falls_as_messages_grow()
    {
        foreach (var sys in new[] { A100x8, H100x8, NcclSystem.For(HardwarePresets.DgxA100, 4) })
            foreach (var kind in new[] { CollectiveKind.AllReduce, CollectiveKind.AllGather, CollectiveKind.ReduceScatter })
            {
                double previous = 0;
                for (double bytes = 8; bytes <= 8.0 * (1L << 30); bytes *= 2)
                {
                    double t = NcclTuningModel.Choose(kind, sys, bytes).Seconds;
                    Assert.True(t >= previous, $"{kind} on {sys.Ranks} ranks: {bytes} B took {t} s, less than the smaller size's {previous} s");
                    previous = t;
                }
            }
    }

    [Fact]
    public void PCIe_servers_get_no_LL128_and_CPUs_are_refused()
    {
        var pcie = NcclSystem.For(HardwarePresets.Dgx1V100 with { NvLinksPerGpu = 0 }, 1);
        Assert.True(double.IsPositiveInfinity(NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Ll128, pcie, 1 << 20)));
        Assert.Throws<SpecError>(() => NcclSystem.For(HardwarePresets.CpuHost, 2));
    }
}
