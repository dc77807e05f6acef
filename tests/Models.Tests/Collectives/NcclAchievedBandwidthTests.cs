using Sim.Models.Collectives;
using Sim.Models.Collectives.Nccl;
using Sim.Models.Hardware;

namespace Sim.Models.Tests.Collectives;

/// <summary>
/// NCCL's tuner ranks algorithms by the NVLink bandwidth it counts (12 x 20 GB/s on A100); the kernel it
/// picks then runs at what the GPU achieves (~230 GB/s on A100, NCCL's maintainer in nccl-tests #149).
/// Oracles: the closed form of the picked ring at the achieved bandwidth; the pick is the tuner's at every
/// size; Hopper, which reaches what NCCL counts, keeps the tuner's time plus the NVLS fill.
/// </summary>
public sealed class NcclAchievedBandwidthTests
{
    private static readonly NcclSystem A100x8 = NcclSystem.For(HardwarePresets.DgxA100, 1);
    private static readonly NcclSystem H100x8 = NcclSystem.For(HardwarePresets.DgxH100, 1);

    [Fact]
    public void Ampere_achieves_230_of_the_240_GBps_NCCL_counts_Hopper_what_it_counts()
    {
        Assert.Equal(240, A100x8.IntraGBps, 12);
        Assert.Equal(230, A100x8.AchievedIntraGBps, 12);
        Assert.Equal(H100x8.IntraGBps, H100x8.AchievedIntraGBps, 12);
        // A cap on what the GPU's SMs push, not a fraction: fewer links than it are reached in full.
        var threeLinks = A100x8 with { IntraGBps = 60 };
        Assert.Equal(60, threeLinks.AchievedIntraGBps, 12);
        // PCIe A100s: no NVLink, nothing to cap.
        var pcie = A100x8 with { NvLink = false, IntraGBps = 12.0 };
        Assert.Equal(12.0, pcie.AchievedIntraGBps, 12);
    }

    [Fact]
    public void An_8_GiB_all_reduce_on_8_A100_is_ring_Simple_at_the_achieved_bandwidth()
    {
        double bytes = 8.0 * (1L << 30);
        var (algorithm, protocol, seconds) = NcclCollectiveTime.Predict(CollectiveKind.AllReduce, A100x8, bytes);
        Assert.Equal((NcclAlgorithm.Ring, NcclProtocol.Simple), (algorithm, protocol));
        // Ring Simple: base 8.4 us + 14 NVLink steps of 3.4 us, bytes at 230 GB/s x 8 / 14 algorithm bandwidth.
        double expected = (8.4 + 14 * 3.4) * 1e-6 + bytes / (230e9 * 8 / 14);
        Assert.Equal(expected, seconds, 12);
        // The tuner's own time, at the 240 GB/s it counts, is shorter by the bandwidth ratio.
        double tuner = NcclTuningModel.Choose(CollectiveKind.AllReduce, A100x8, bytes).Seconds;
        Assert.Equal((8.4 + 14 * 3.4) * 1e-6 + bytes / (240e9 * 8 / 14), tuner, 12);
        double busbw = BusBandwidth.Of(CollectiveKind.AllReduce, 8, bytes, seconds) / 1e9;
        Assert.InRange(busbw, 0.99 * 230, 230);
    }

    [Fact]
    public void The_pick_is_the_tuners_at_every_size_and_never_faster_than_its_time()
    {
        foreach (var sys in new[] { A100x8, H100x8, NcclSystem.For(HardwarePresets.DgxA100, 2) })
            foreach (var kind in new[] { CollectiveKind.AllReduce, CollectiveKind.AllGather, CollectiveKind.ReduceScatter })
                for (long bytes = 1L << 10; bytes <= 8L << 30; bytes <<= 1)
                {
                    var tuner = NcclTuningModel.Choose(kind, sys, bytes);
                    var run = NcclCollectiveTime.Predict(kind, sys, bytes);
                    Assert.Equal((tuner.Algorithm, tuner.Protocol), (run.Algorithm, run.Protocol));
                    Assert.True(run.Seconds >= tuner.Seconds, $"{kind} {bytes} B on {sys.Ranks} ranks");
                }
    }

    [Fact]
    public void Hopper_keeps_the_tuners_time_plus_the_NVLS_fill()
    {
        foreach (long bytes in new[] { 1L << 10, 8L << 20, 8L << 30 })
        {
            var tuner = NcclTuningModel.Choose(CollectiveKind.AllReduce, H100x8, bytes);
            var run = NcclCollectiveTime.Predict(CollectiveKind.AllReduce, H100x8, bytes);
            Assert.Equal(tuner.Seconds + NvlsPipeline.FillSeconds(CollectiveKind.AllReduce, tuner.Algorithm, H100x8, bytes), run.Seconds, 15);
        }
    }
}
