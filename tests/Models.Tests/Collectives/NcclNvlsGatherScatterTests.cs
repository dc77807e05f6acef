using Sim.Models.Collectives;
using Sim.Models.Collectives.Nccl;
using Sim.Models.Hardware;

namespace Sim.Models.Tests.Collectives;

/// <summary>
/// NVLS all-gather and reduce-scatter (NCCL 2.19 on, one Hopper NVSwitch node) against hand-computed
/// figures: bandwidth from the bytes each NVLink port carries (S one way, S/n the other), the tuner's
/// per-size choice against ring LL / LL128 / Simple where the closed forms cross, and where NCCL does
/// not offer them (several nodes, Ampere, protocols other than Simple).
/// </summary>
public sealed class NcclNvlsGatherScatterTests
{
    private static readonly NcclSystem H100 = NcclSystem.For(HardwarePresets.DgxH100, 1);
    private static readonly CollectiveKind[] GatherScatter = [CollectiveKind.AllGather, CollectiveKind.ReduceScatter];

    [Fact]
    public void NVLS_gather_and_scatter_move_S_on_one_direction_of_every_NVLink_port()
    {
        // 18 links x 20.6 GB/s x 0.85 NVLS efficiency: 315.2 GB/s algorithm bandwidth on 8 H100.
        double algbw = 18 * 20.6 * 0.85;
        foreach (var kind in GatherScatter)
        {
            Assert.Equal(algbw, NcclTuningModel.AlgorithmBandwidthGBps(kind, NcclAlgorithm.Nvls, NcclProtocol.Simple, H100), 9);
            Assert.Equal(23 + 8.0 * (1 << 20) / (1000 * algbw), 1e6 * NcclTuningModel.Seconds(kind, NcclAlgorithm.Nvls, NcclProtocol.Simple, H100, 8 << 20), 9);
        }
        // All-reduce runs both halves at once (S + S/n each way), so it costs less than the two in sequence.
        double allReduce = NcclTuningModel.NvlsAlgorithmBandwidthGBps(H100);
        Assert.True(1 / allReduce < 2 / algbw);
    }

    [Fact]
    public void At_large_sizes_the_ring_is_wider_than_NVLS_and_the_tuner_keeps_it()
    {
        // Ring Simple: 370.8 x 8/7 = 423.8 GB/s against NVLS's 315.2 GB/s.
        foreach (var kind in GatherScatter)
        {
            Assert.True(NcclTuningModel.AlgorithmBandwidthGBps(kind, NcclAlgorithm.Ring, NcclProtocol.Simple, H100) > NcclTuningModel.NvlsGatherScatterAlgorithmBandwidthGBps(H100));
            Assert.Equal((NcclAlgorithm.Ring, NcclProtocol.Simple), Pair(kind, 1L << 30));
        }
    }

    [Fact]
    public void NVLS_wins_the_mid_sizes_between_where_its_line_crosses_ring_LL_and_ring_LL128()
    {
        // Each pair is a + bytes / (1000 b) us. Ring LL: 6.6 + 7 x 0.6 us, LL bus min(87.7, 370.8 / 3) x 8/7.
        // Ring LL128: 14 + 7 x 1.9 us, 370.8 x 0.92 x 8/7. NVLS: 23 us, 370.8 x 0.85.
        double bus = 18 * 20.6;
        double aLl = 6.6 + 7 * 0.6, bLl = Math.Min(87.7, bus / 3) * 8 / 7;
        double aLl128 = 14 + 7 * 1.9, bLl128 = bus * 0.92 * 8 / 7;
        double aNvls = 23, bNvls = bus * 0.85;
        double fromLl = 1000 * (aNvls - aLl) / (1 / bLl - 1 / bNvls);
        // NVLS starts sooner than LL128 but is narrower: it wins below this size.
        double toLl128 = 1000 * (aLl128 - aNvls) / (1 / bNvls - 1 / bLl128);
        Assert.InRange(fromLl, 1.6e6, 2.0e6);   // about 1.8 MB
        Assert.InRange(toLl128, 6.5e6, 7.5e6);  // about 7.0 MB
        foreach (var kind in GatherScatter)
        {
            Assert.Equal((NcclAlgorithm.Ring, NcclProtocol.Ll), Pair(kind, 0.97 * fromLl));
            Assert.Equal((NcclAlgorithm.Nvls, NcclProtocol.Simple), Pair(kind, 1.03 * fromLl));
            Assert.Equal((NcclAlgorithm.Nvls, NcclProtocol.Simple), Pair(kind, 0.97 * toLl128));
            Assert.Equal((NcclAlgorithm.Ring, NcclProtocol.Ll128), Pair(kind, 1.03 * toLl128));
        }
    }

    [Fact]
    public void NVLS_gather_and_scatter_are_not_offered_across_nodes_on_Ampere_or_without_Simple()
    {
        var twoNodes = NcclSystem.For(HardwarePresets.DgxH100, 2);
        var a100 = NcclSystem.For(HardwarePresets.DgxA100, 1);
        foreach (var kind in GatherScatter)
        {
            Assert.True(double.IsPositiveInfinity(NcclTuningModel.Seconds(kind, NcclAlgorithm.Nvls, NcclProtocol.Simple, twoNodes, 4 << 20)));
            Assert.True(double.IsPositiveInfinity(NcclTuningModel.Seconds(kind, NcclAlgorithm.Nvls, NcclProtocol.Simple, a100, 4 << 20)));
            Assert.True(double.IsPositiveInfinity(NcclTuningModel.Seconds(kind, NcclAlgorithm.Nvls, NcclProtocol.Ll128, H100, 4 << 20)));
            Assert.True(double.IsPositiveInfinity(NcclTuningModel.Seconds(kind, NcclAlgorithm.NvlsTree, NcclProtocol.Simple, twoNodes, 4 << 20)));
            for (double bytes = 8; bytes <= 8.0 * (1L << 30); bytes *= 2)
            {
                Assert.NotEqual(NcclAlgorithm.Nvls, NcclTuningModel.Choose(kind, twoNodes, bytes).Algorithm);
                Assert.NotEqual(NcclAlgorithm.Nvls, NcclTuningModel.Choose(kind, a100, bytes).Algorithm);
            }
        }
    }

    private static (NcclAlgorithm, NcclProtocol) Pair(CollectiveKind kind, double bytes)
    {
        var (algorithm, protocol, _) = NcclTuningModel.Choose(kind, H100, bytes);
        return (algorithm, protocol);
    }
}
