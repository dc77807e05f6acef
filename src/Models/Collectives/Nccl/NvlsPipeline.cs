namespace Sim.Models.Collectives.Nccl;

/// <summary>
/// How NCCL's NVLS and NVLS-tree all-reduce kernels pipeline a buffer, and the time the pipeline takes
/// to fill, which NCCL's own cost model (<see cref="NcclTuningModel"/>: latency + bytes / bandwidth)
/// leaves out. Like an assembly line, the first chunk must pass every station before the line runs at
/// its rate: with k stations, a buffer of L loops takes (L + k - 1) loop times, not L.
/// <para>
/// The stations are the warp groups of one channel's kernel (NCCL 2.19.3 src/device/all_reduce.h,
/// RunWorkElement for NCCL_ALGO_NVLS and NCCL_ALGO_NVLS_TREE): inside one node, scatter (each GPU stores
/// its chunks into the NVLS buffers of their heads), reduce-broadcast (each head's multimem load-reduce
/// and multicast store) and gather (results into the user buffer): 3 stations. Across nodes the
/// reduction also climbs the tree of nodes (a reduce-and-send-up group at every level) and comes back
/// down (a receive-and-broadcast group at every level): 3 + 2 x depth stations.
/// </para>
/// <para>
/// One loop moves channels x heads x chunk bytes (all channels at once); NCCL picks the chunk from the
/// buffer size (NCCL 2.19.3 src/enqueue.cc, computeColl): NVLS starts from 128 KiB and drops to 64, 32
/// and 16 KiB below 64, 8 and 2 loops of the larger chunk; NVLS-tree starts from a Simple step (the Simple
/// buffer / 8 steps: 512 KiB with NCCL's default 4 MiB NCCL_BUFFSIZE) up to NCCL 2.20 and from
/// NCCL_NVLS_CHUNKSIZE (128 KiB, src/transport/nvls.cc) from 2.21 (v2.21.5 src/enqueue.cc: chunkSize =
/// comm->nvlsChunkSize), at most 64 KiB on four or more nodes from 2.19, and drops to 256, 128, 64 and 32 KiB
/// below 32, 16, 4 and 1 loops.
/// 16 NVLS channels (src/transport/nvls.cc, NCCL_NVLS_NCHANNELS on Hopper); one head per GPU of the node
/// (every GPU has its own NIC on DGX H100 and p5, so every GPU heads a share).
/// </para>
/// </summary>
public static class NvlsPipeline
{
    /// <summary>NVLS channels on Hopper (NCCL 2.19.3 src/transport/nvls.cc, NCCL_NVLS_NCHANNELS default).</summary>
    public const int Channels = 16;
    private const long NvlsMaxChunk = 128 << 10;
    // NCCL_STEPS: a Simple step is the buffer (NCCL_BUFFSIZE) over 8.
    private const int Steps = 8;

    /// <summary>The chunk NCCL's NVLS (one node) or NVLS-tree kernel uses for <paramref name="bytes"/>.</summary>
    public static long ChunkBytes(NcclAlgorithm algorithm, NcclSystem sys, double bytes)
    {
        double ops = Channels * Heads(sys);
        long chunk;
        switch (algorithm)
        {
            case NcclAlgorithm.Nvls:
                chunk = NvlsMaxChunk;
                if (bytes < 64 * ops * chunk && chunk > 65536) chunk = 65536;
                if (bytes < 8 * ops * chunk && chunk > 32768) chunk = 32768;
                if (bytes < 2 * ops * chunk && chunk > 16384) chunk = 16384;
                return chunk;
            case NcclAlgorithm.NvlsTree:
                // The start: one Simple step up to NCCL 2.20; NCCL_NVLS_CHUNKSIZE (128 KiB) from 2.21. From
                // 2.19, four or more nodes cap it at 64 KiB (NCCL_NVLSTREE_MAX_CHUNKSIZE left at its default).
                chunk = sys.NcclMinorVersion >= 21 ? NvlsMaxChunk : sys.SimpleBufferBytes / Steps;
                if (sys.NcclMinorVersion >= 19 && sys.Nodes >= 4) chunk = Math.Min(chunk, 65536);
                if (bytes < 32 * ops * chunk && chunk > 262144) chunk = 262144;
                if (bytes < 16 * ops * chunk && chunk > 131072) chunk = 131072;
                if (bytes < 4 * ops * chunk && chunk > 65536) chunk = 65536;
                if (bytes < 1 * ops * chunk && chunk > 32768) chunk = 32768;
                return chunk;
            default:
                throw new ArgumentException($"{algorithm} is not an NVLS algorithm", nameof(algorithm));
        }
    }

    /// <summary>Pipeline stations a chunk passes: 3 inside a node, 2 more per level of the tree of nodes.</summary>
    public static int Stations(NcclAlgorithm algorithm, NcclSystem sys) =>
        algorithm == NcclAlgorithm.NvlsTree ? 3 + 2 * TreeDepth(sys.Nodes) : 3;

    /// <summary>
    /// Seconds the pipeline needs to fill beyond latency + bytes / bandwidth: (stations - 1) loop times,
    /// a loop (or the whole buffer, if smaller) at the algorithm bandwidth NCCL's model gives it. Zero for
    /// anything but NVLS and NVLS-tree all-reduce (NVLS all-gather and reduce-scatter run other kernels).
    /// </summary>
    public static double FillSeconds(CollectiveKind kind, NcclAlgorithm algorithm, NcclSystem sys, double bytes)
    {
        if (kind != CollectiveKind.AllReduce || algorithm is not (NcclAlgorithm.Nvls or NcclAlgorithm.NvlsTree)) return 0;
        double bw = NcclTuningModel.AlgorithmBandwidthGBps(kind, algorithm, NcclProtocol.Simple, sys);
        if (!(bw > 0) || double.IsPositiveInfinity(bw)) return 0;
        double loop = (double)Channels * Heads(sys) * ChunkBytes(algorithm, sys, bytes);
        return (Stations(algorithm, sys) - 1) * Math.Min(bytes, loop) / (bw * 1e9);
    }

    private static int Heads(NcclSystem sys) => sys.RanksPerNode;

    // NCCL's trees of nodes are binary: ceil(log2 nodes) levels.
    private static int TreeDepth(int nodes) => nodes <= 1 ? 0 : 64 - System.Numerics.BitOperations.LeadingZeroCount((ulong)(nodes - 1));
}
