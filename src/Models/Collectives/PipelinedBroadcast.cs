using Sim.Models.Network;

namespace Sim.Models.Collectives;

/// <summary>
/// Broadcast down a pipelined chain (NCCL's ring broadcast), like a bucket brigade: rank 0 (the root)
/// cuts the buffer into chunks of <see cref="ChunkBytes"/>; each rank forwards a chunk to the next as
/// soon as it has it, so all edges work at once after the first chunk has crossed them.
/// Lowering: on each edge, the first chunk is a transfer of its own (its arrival starts the next edge);
/// the remaining chunks follow as one aggregated transfer paying the latency once per chunk. With
/// uniform edges, k = n/c chunks: T = (p-1)(alpha + c beta) + (k-1) alpha + (n-c) beta
/// = (k+p-2)(alpha + c beta) when c divides n, the textbook pipelined-broadcast cost.
/// </summary>
public sealed class PipelinedBroadcast : Collective
{
    /// <summary>NCCL's default channel buffer (NCCL_BUFFSIZE, 4 MiB) split into NCCL_STEPS = 8 slots.</summary>
    public const double DefaultChunkBytes = 512 * 1024;

    private int _pending;

    public PipelinedBroadcast(INetwork network, IReadOnlyList<int> ranks, double bytes, double chunkBytes = DefaultChunkBytes)
        : base(network, ranks, bytes)
    {
        if (!(chunkBytes > 0)) throw new ArgumentOutOfRangeException(nameof(chunkBytes), chunkBytes, "must be > 0");
        ChunkBytes = Math.Min(chunkBytes, bytes);
        Chunks = bytes == 0 ? 1 : (int)Math.Ceiling(bytes / chunkBytes);
    }

    public double ChunkBytes { get; }
    public int Chunks { get; }

    protected override void Begin()
    {
        if (P == 1) { FinishSoon(); return; }
        _pending = Chunks > 1 ? 2 * (P - 1) : P - 1;
        StartEdge(0);
    }

    // Tokens: 2e = first chunk over edge e (e -> e+1); 2e+1 = the rest of edge e.
    private void StartEdge(int e) => Send(ChunkBytes, e, e + 1, 2L * e);

    protected override void OnTransfer(long token)
    {
        int e = (int)(token >> 1);
        if ((token & 1) == 0)
        {
            if (Chunks > 1) Send(Bytes - ChunkBytes, e, e + 1, 2L * e + 1, Chunks - 1);
            if (e + 1 < P - 1) StartEdge(e + 1);
        }
        if (--_pending == 0) Finish();
    }
}
