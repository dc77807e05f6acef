using Sim.Models.Collectives;
using Sim.Models.Collectives.Nccl;
using Sim.Models.Hardware;

namespace Sim.Models.Tests.Collectives;

/// <summary>
/// The NVLS and NVLS-tree chunk pipelines against hand-computed figures: NCCL 2.19.3's chunk sizes at
/// their thresholds (src/enqueue.cc), the stations of the kernels (src/device/all_reduce.h) and the fill
/// (stations - 1) loop times on top of NCCL's latency + bytes / bandwidth.
/// </summary>
public sealed class NvlsPipelineTests
{
    private static readonly NcclSystem One = NcclSystem.For(HardwarePresets.DgxH100, 1);
    private static readonly NcclSystem Two = NcclSystem.For(HardwarePresets.DgxH100, 2);
    // 18 NVLinks x 20.6 GB/s x 0.85 / (1 + 1/8): NVLS algorithm bandwidth on 8 H100, GB/s.
    private static readonly double NvlsGBps = 18 * 20.6 * 0.85 / (1 + 1.0 / 8);
    private const long KiB = 1 << 10, MiB = 1 << 20, GiB = 1 << 30;

    [Theory]
    // One node: 16 channels x 8 heads = 128 chunks in flight; 128 KiB from 64 loops of it (1 GiB), then
    // 64 KiB from 8 loops of 64 KiB (64 MiB), 32 KiB from 2 loops of 32 KiB (8 MiB), else 16 KiB.
    [InlineData(8 * GiB, 128 * KiB)]
    [InlineData(1 * GiB, 128 * KiB)]
    [InlineData(1 * GiB - 1, 64 * KiB)]
    [InlineData(64 * MiB, 64 * KiB)]
    [InlineData(64 * MiB - 1, 32 * KiB)]
    [InlineData(8 * MiB, 32 * KiB)]
    [InlineData(8 * MiB - 1, 16 * KiB)]
    [InlineData(1 * KiB, 16 * KiB)]
    public void NVLS_chunks_follow_NCCLs_thresholds(long bytes, long chunk) =>
        Assert.Equal(chunk, NvlsPipeline.ChunkBytes(NcclAlgorithm.Nvls, One, bytes));

    [Theory]
    // Two nodes: from a 512 KiB Simple step, 256 KiB below 32 loops of it (2 GiB), 128 KiB below 16 loops
    // of 256 KiB (512 MiB), 64 KiB below 4 loops of 128 KiB (64 MiB), 32 KiB below 1 loop of 64 KiB (8 MiB).
    [InlineData(2 * GiB, 512 * KiB)]
    [InlineData(2 * GiB - 1, 256 * KiB)]
    [InlineData(512 * MiB - 1, 128 * KiB)]
    [InlineData(64 * MiB - 1, 64 * KiB)]
    [InlineData(8 * MiB - 1, 32 * KiB)]
    public void NVLS_tree_chunks_follow_NCCLs_thresholds(long bytes, long chunk) =>
        Assert.Equal(chunk, NvlsPipeline.ChunkBytes(NcclAlgorithm.NvlsTree, Two, bytes));

    [Theory]
    // NCCL_BUFFSIZE=8 MiB (the 2x p5 run): a 1 MiB Simple step, kept from 32 loops of it (4 GiB) on;
    // below that the same 256 KiB step-down as the default buffer's.
    [InlineData(8 * GiB, 1024 * KiB)]
    [InlineData(4 * GiB, 1024 * KiB)]
    [InlineData(4 * GiB - 1, 256 * KiB)]
    [InlineData(2 * GiB, 256 * KiB)]
    [InlineData(512 * MiB - 1, 128 * KiB)]
    public void NVLS_tree_chunks_start_from_the_runs_Simple_step(long bytes, long chunk) =>
        Assert.Equal(chunk, NvlsPipeline.ChunkBytes(NcclAlgorithm.NvlsTree, Two with { SimpleBufferBytes = 8 * MiB }, bytes));

    [Theory]
    // NCCL 2.21 on: NVLS-tree starts from NCCL_NVLS_CHUNKSIZE (128 KiB), whatever the Simple buffer, so
    // the 256 KiB step-down never applies; 64 KiB below 4 loops of 128 KiB (64 MiB), 32 KiB below 1 loop
    // of 64 KiB (8 MiB).
    [InlineData(21, 4 * MiB, 8 * GiB, 128 * KiB)]
    [InlineData(23, 8 * MiB, 8 * GiB, 128 * KiB)]
    [InlineData(27, 4 * MiB, 64 * MiB, 128 * KiB)]
    [InlineData(21, 4 * MiB, 64 * MiB - 1, 64 * KiB)]
    [InlineData(21, 4 * MiB, 8 * MiB - 1, 32 * KiB)]
    // Up to 2.20 the same sizes start from the Simple step.
    [InlineData(20, 4 * MiB, 8 * GiB, 512 * KiB)]
    [InlineData(20, 8 * MiB, 8 * GiB, 1024 * KiB)]
    public void From_NCCL_2_21_NVLS_tree_chunks_start_from_128_KiB(int minor, long buffer, long bytes, long chunk) =>
        Assert.Equal(chunk, NvlsPipeline.ChunkBytes(NcclAlgorithm.NvlsTree, Two with { NcclMinorVersion = minor, SimpleBufferBytes = buffer }, bytes));

    [Fact]
    public void From_NCCL_2_21_the_two_node_NVLS_tree_fill_is_four_loops_of_128_KiB_chunks()
    {
        // 8 GiB on two nodes, NCCL 2.23: 16 channels x 8 heads x 128 KiB = a 16 MiB loop, four of them to fill.
        var sys = Two with { NcclMinorVersion = 23 };
        double bw = NcclTuningModel.NvlsTreeAlgorithmBandwidthGBps(sys);
        Assert.Equal(4 * (16.0 * MiB) / (bw * 1e9), NvlsPipeline.FillSeconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, sys, 8.0 * GiB), 15);
        // A quarter of the 2.20 fill at the same size (512 KiB chunks, a 64 MiB loop).
        Assert.Equal(0.25 * NvlsPipeline.FillSeconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, Two, 8.0 * GiB),
            NvlsPipeline.FillSeconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, sys, 8.0 * GiB), 15);
    }

    [Fact]
    public void NCCL_2_18_has_no_four_node_cap() =>
        Assert.Equal(512 * KiB, NvlsPipeline.ChunkBytes(NcclAlgorithm.NvlsTree, NcclSystem.For(HardwarePresets.DgxH100, 4) with { NcclMinorVersion = 18 }, 8.0 * GiB));

    [Fact]
    public void Four_or_more_nodes_start_NVLS_tree_from_64_KiB_chunks() =>
        Assert.Equal(64 * KiB, NvlsPipeline.ChunkBytes(NcclAlgorithm.NvlsTree, NcclSystem.For(HardwarePresets.DgxH100, 4), 8.0 * GiB));

    [Fact]
    public void Stations_are_scatter_reduce_gather_plus_two_per_tree_level()
    {
        Assert.Equal(3, NvlsPipeline.Stations(NcclAlgorithm.Nvls, One));
        Assert.Equal(5, NvlsPipeline.Stations(NcclAlgorithm.NvlsTree, Two));
        Assert.Equal(7, NvlsPipeline.Stations(NcclAlgorithm.NvlsTree, NcclSystem.For(HardwarePresets.DgxH100, 4)));
        Assert.Equal(9, NvlsPipeline.Stations(NcclAlgorithm.NvlsTree, NcclSystem.For(HardwarePresets.DgxH100, 5)));
    }

    [Fact]
    public void The_fill_is_two_loop_times_inside_a_node()
    {
        // 8 MiB: 32 KiB chunks, a loop of 128 x 32 KiB = 4 MiB, two of them before the pipeline runs full.
        double fill = 2 * (4.0 * MiB) / (NvlsGBps * 1e9);
        Assert.Equal(fill, NvlsPipeline.FillSeconds(CollectiveKind.AllReduce, NcclAlgorithm.Nvls, One, 8 * MiB), 15);
        // A buffer smaller than one loop passes the three stations one after another: 3 x bytes / bandwidth.
        double small = 512 * KiB;
        double modelled = NcclTuningModel.Seconds(CollectiveKind.AllReduce, NcclAlgorithm.Nvls, NcclProtocol.Simple, One, small);
        Assert.Equal(NcclTuningModel.NvlsLatencyMicroseconds * 1e-6 + 3 * small / (NvlsGBps * 1e9),
            modelled + NvlsPipeline.FillSeconds(CollectiveKind.AllReduce, NcclAlgorithm.Nvls, One, small), 15);
    }

    [Fact]
    public void The_fill_is_four_loop_times_across_two_nodes()
    {
        // 8 GiB: 512 KiB chunks, a loop of 64 MiB at the NVLS-tree bandwidth (the NVSwitch side binds).
        double bw = NcclTuningModel.NvlsTreeAlgorithmBandwidthGBps(Two);
        Assert.Equal(NvlsGBps, bw, 9);
        Assert.Equal(4 * (64.0 * MiB) / (bw * 1e9), NvlsPipeline.FillSeconds(CollectiveKind.AllReduce, NcclAlgorithm.NvlsTree, Two, 8.0 * GiB), 15);
    }

    [Fact]
    public void Rings_trees_and_NVLS_gathers_have_no_fill()
    {
        Assert.Equal(0, NvlsPipeline.FillSeconds(CollectiveKind.AllReduce, NcclAlgorithm.Ring, One, GiB));
        Assert.Equal(0, NvlsPipeline.FillSeconds(CollectiveKind.AllReduce, NcclAlgorithm.Tree, Two, GiB));
        Assert.Equal(0, NvlsPipeline.FillSeconds(CollectiveKind.AllGather, NcclAlgorithm.Nvls, One, 4 * MiB));
        // DGX A100 has no NVLS: the prediction is NCCL's model of its pick, no fill, at the NVLink bandwidth
        // A100 achieves (NcclSystem.AchievedIntraGBps).
        var a100 = NcclSystem.For(HardwarePresets.DgxA100, 2);
        var achieved = a100 with { IntraGBps = a100.AchievedIntraGBps };
        foreach (double bytes in new[] { 1.0 * KiB, MiB, GiB })
        {
            var (algorithm, protocol, _) = NcclTuningModel.Choose(CollectiveKind.AllReduce, a100, bytes);
            Assert.Equal((algorithm, protocol, NcclTuningModel.Seconds(CollectiveKind.AllReduce, algorithm, protocol, achieved, bytes)),
                NcclCollectiveTime.Predict(CollectiveKind.AllReduce, a100, bytes));
        }
    }

    [Fact]
    public void Predicted_time_keeps_the_tuners_choice_and_grows_with_size()
    {
        foreach (var sys in new[] { One, Two })
        {
            double last = 0;
            for (double bytes = 1 * KiB; bytes <= 8.0 * GiB; bytes *= 1.25)
            {
                var chosen = NcclTuningModel.Choose(CollectiveKind.AllReduce, sys, bytes);
                var predicted = NcclCollectiveTime.Predict(CollectiveKind.AllReduce, sys, bytes);
                Assert.Equal((chosen.Algorithm, chosen.Protocol), (predicted.Algorithm, predicted.Protocol));
                Assert.True(predicted.Seconds >= chosen.Seconds);
                Assert.True(predicted.Seconds >= last, $"time fell at {bytes} B");
                last = predicted.Seconds;
            }
        }
    }
}
