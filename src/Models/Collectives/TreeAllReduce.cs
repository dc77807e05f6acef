using Sim.Models.Network;

namespace Sim.Models.Collectives;

/// <summary>
/// NCCL's double-binary-tree all-reduce, like two phone trees running at once, each carrying half the
/// message: in each tree, data is reduced up to the root and broadcast back down, chunk by chunk, with
/// reduction and broadcast pipelined so both run concurrently on every tree edge (up and down
/// directions of full-duplex links). Lowering: every tree edge, in each direction, is one aggregated
/// transfer of n/2 bytes, all issued together so the network shares each rank's links among its tree
/// edges; each pays the pipeline's fill latency, 2 * depth hops. On a uniform non-blocking switch the
/// busiest rank has m tree edges (m = 4 for p >= 4: parent and two children in one tree, a parent in the
/// other), so T = 2 D alpha + m (n/2) beta, about 2 log2(p) alpha + 2 n beta.
/// </summary>
public sealed class TreeAllReduce : Collective
{
    private int _pending;

    public TreeAllReduce(INetwork network, IReadOnlyList<int> ranks, double bytes) : base(network, ranks, bytes)
    {
        Trees = new DoubleBinaryTree(P);
    }

    public DoubleBinaryTree Trees { get; }

    protected override void Begin()
    {
        if (P == 1) { FinishSoon(); return; }
        int rounds = 2 * Math.Max(Trees.DepthA, Trees.DepthB);
        double half = Bytes / 2;
        _pending = 0;
        foreach (var parent in new[] { Trees.ParentA, Trees.ParentB })
            for (int r = 0; r < P; r++)
            {
                if (parent[r] < 0) continue;
                _pending += 2;
                Send(half, r, parent[r], 0, rounds);
                Send(half, parent[r], r, 0, rounds);
            }
    }

    protected override void OnTransfer(long token)
    {
        if (--_pending == 0) Finish();
    }
}
