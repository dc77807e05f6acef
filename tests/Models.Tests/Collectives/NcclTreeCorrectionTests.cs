using Sim.Models.Collectives;
using Sim.Models.Collectives.Nccl;
using Sim.Models.Hardware;

namespace Sim.Models.Tests.Collectives;

/// <summary>
/// NCCL's mid-size correction of tree all-reduce bandwidth (treeCorrectionFactor in tuning.cc): indexed
/// by log2(bytes / 64) from 64 B, applied below 512 MiB only, and entering the modelled time as a
/// bandwidth factor.
/// </summary>
public sealed class NcclTreeCorrectionTests
{
    [Theory]
    [InlineData(NcclProtocol.Ll, 32, 1.0)]              // below 64 B: none
    [InlineData(NcclProtocol.Ll, 64, 1.0)]              // index 0
    [InlineData(NcclProtocol.Ll, 64 * 1024, 0.6)]       // index 10
    [InlineData(NcclProtocol.Ll128, 1 << 20, 0.6)]      // index 14
    [InlineData(NcclProtocol.Simple, 4 << 20, 0.7)]     // index 16
    [InlineData(NcclProtocol.Simple, 256 << 20, 0.9)]   // index 22, the last
    [InlineData(NcclProtocol.Simple, 512 << 20, 1.0)]   // beyond the table
    public void Factor_is_read_at_log2_of_bytes_over_64(NcclProtocol protocol, double bytes, double factor) =>
        Assert.Equal(factor, NcclTuningModel.TreeCorrection(protocol, bytes), 12);

    [Fact]
    public void Tree_all_reduce_time_divides_the_bytes_by_the_corrected_bandwidth()
    {
        var sys = NcclSystem.For(HardwarePresets.DgxA100, 4);
        double bytes = 1 << 20;
        double bw = NcclTuningModel.AlgorithmBandwidthGBps(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Ll128, sys);
        double latency = NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Ll128, sys);
        Assert.Equal((latency + bytes / (1000 * bw * 0.6)) * 1e-6,
            NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, NcclProtocol.Ll128, sys, bytes), 15);
        // Rings are not corrected.
        double ringBw = NcclTuningModel.AlgorithmBandwidthGBps(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Ll128, sys);
        double ringLatency = NcclTuningModel.LatencyMicroseconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Ll128, sys);
        Assert.Equal((ringLatency + bytes / (1000 * ringBw)) * 1e-6,
            NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, NcclProtocol.Ll128, sys, bytes), 15);
    }
}
