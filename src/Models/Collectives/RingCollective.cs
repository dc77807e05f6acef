using Sim.Models.Network;

namespace Sim.Models.Collectives;

/// <summary>
/// Ring all-reduce, reduce-scatter and all-gather, like passing dishes round a table: rank r only ever
/// sends to rank r+1. Reduce-scatter takes p-1 steps of n/p bytes (each step adds one more rank's
/// contribution to a block), all-gather p-1 steps (circulating the reduced blocks); all-reduce is both.
///
/// Two lowerings. <see cref="RingMode.Stepwise"/> issues every step as a transfer: 2(p-1) rounds of p
/// transfers - faithful, but O(p^2) transfers. <see cref="RingMode.Aggregated"/> (the default) issues
/// one transfer per ring edge carrying steps * n/p bytes and paying the path latency once per step. Why
/// that is the same thing: NCCL cuts every step into chunks and pipelines them, so each ring edge is
/// busy all the time carrying its share; every edge carries the same bytes, at most one chunk at a time,
/// so one flow per edge with the total volume gets the same bandwidth share as the sequence of per-step
/// transfers, while the per-step latencies still add up (a step needs its predecessor's data). With
/// uniform edges both lowerings give exactly steps * alpha + steps * (n/p) * beta (a test checks this).
/// With unequal edges the aggregated form finishes at the maximum over edges, whereas a real ring moves
/// at the slowest edge's pace at every step: a slight underestimate that vanishes when edges are alike.
///
/// Channels: NCCL runs several rings at once ("channels"), each on 1/C of the data. On multi-GPU
/// nodes the rings are rotated so that each leaves a node from a different GPU (so a different NIC and
/// rail), and enters the next node on the same rail: channel c visits node k's GPUs starting from
/// s = (c - k) mod G, in the order s, s+1, ..., s-1, so it leaves node k from GPU s-1 and enters node
/// k+1 at GPU s-1, rail to rail (NCCL's PXN keeps inter-node traffic on rails in the same spirit). Only
/// the wrap-around edge may change rails. With C = G channels every NIC carries one ring's traffic in
/// each direction, which is how NCCL reaches G NICs' worth of bus bandwidth on DGX systems. Ranks must
/// then be grouped by node (ranks[k*G .. k*G+G-1] on node k).
///
/// Shared edges: channels cross the same intra-node edges (with C = G, each GPU-to-next-GPU edge of a
/// node is taken by the G-1 channels that do not leave the node there), and channels whose numbers
/// agree mod G are the same ring. Such transfers are identical (same two ranks, so the same route, the
/// same bytes and latency rounds, started together), so each shared edge is sent once with the number
/// of channels on it as its copies (<see cref="INetwork.Transfer(double, int, int, System.Action{long}, long, int, int)"/>):
/// the same traffic, a quarter of the transfers on DGX rings.
/// </summary>
public sealed class RingCollective : StepwiseCollective
{
    private readonly int _steps;
    private readonly double _stepBytes;
    private readonly RingMode _mode;
    private readonly int _channels, _ranksPerNode;
    private int _pending;

    /// <param name="channels">Concurrent rings, each carrying bytes / channels (aggregated mode only).</param>
    /// <param name="ranksPerNode">GPUs per node, for rotating channels across nodes' GPUs (1 = no rotation).</param>
    public RingCollective(INetwork network, IReadOnlyList<int> ranks, double bytes, CollectiveKind kind, RingMode mode = RingMode.Aggregated,
        int channels = 1, int ranksPerNode = 1)
        : base(network, ranks, bytes)
    {
        if (channels < 1) throw new ArgumentOutOfRangeException(nameof(channels), channels, "must be >= 1");
        if (channels > 1 && mode == RingMode.Stepwise) throw new ArgumentException("several channels need the aggregated ring", nameof(channels));
        if (ranksPerNode < 1 || ranks.Count % ranksPerNode != 0)
            throw new ArgumentException($"ranksPerNode must divide the rank count {ranks.Count}, got {ranksPerNode}", nameof(ranksPerNode));
        _channels = channels;
        _ranksPerNode = ranksPerNode;
        Kind = kind;
        _mode = mode;
        _steps = kind switch
        {
            CollectiveKind.AllReduce => 2 * (P - 1),
            CollectiveKind.ReduceScatter or CollectiveKind.AllGather => P - 1,
            _ => throw new ArgumentException($"ring implements allreduce, reducescatter and allgather, not {kind}", nameof(kind)),
        };
        _stepBytes = bytes / P;
    }

    public CollectiveKind Kind { get; }
    protected override int Steps => _steps;
    protected override int SendPeer(int r, int step) => (r + 1) % P;
    protected override double SendBytes(int r, int step) => _stepBytes;

    protected override void Begin()
    {
        if (_mode == RingMode.Stepwise || P == 1) { base.Begin(); return; }
        _pending = P * _channels;
        double edgeBytes = _steps * _stepBytes / _channels;
        for (int c = 0; c < _channels; c++)
            for (int i = 0; i < P; i++)
            {
                int copies = Copies(c, i);
                if (copies > 0) Send(edgeBytes, Position(c, i), Position(c, (i + 1) % P), copies, _steps, copies);
            }
    }

    /// <summary>
    /// How many channels take the edge that channel <paramref name="c"/> takes from position
    /// <paramref name="i"/>, if <paramref name="c"/> is the lowest of them (the one that sends it); else 0.
    /// With one node the wrap-around edge stays inside the node, so edges are not shared there.
    /// </summary>
    internal int Copies(int c, int i)
    {
        int g = _ranksPerNode;
        if (_channels == 1 || P / g < 2) return 1;
        if (i % g == g - 1)
            // Leaving the node: channel c goes from GPU (c - node - 1) mod G to the next node's GPU on
            // the same rail (or, wrapping, to GPU c mod G of node 0); only c's residue class mod G does.
            return c < g ? ChannelsWithResidue(c) : 0;
        // Inside node k, from local GPU j to j + 1: every channel takes it except those leaving node k
        // from GPU j, whose residue mod G is (j + k + 1) mod G.
        int node = i / g;
        int j = Position(c, i) - node * g;
        int leavers = (j + node + 1) % g;
        int lowest = leavers == 0 ? 1 : 0;
        return c == lowest ? _channels - ChannelsWithResidue(leavers) : 0;
    }

    private int ChannelsWithResidue(int r) => _channels / _ranksPerNode + (r < _channels % _ranksPerNode ? 1 : 0);

    public int Channels => _channels;

    /// <summary>The rank index at position <paramref name="i"/> of channel <paramref name="c"/>'s ring.</summary>
    public int Position(int c, int i)
    {
        int g = _ranksPerNode, node = i / g;
        int start = ((c - node) % g + g) % g;
        return node * g + (start + i % g) % g;
    }

    protected override void OnTransfer(long token)
    {
        if (_mode == RingMode.Stepwise) { base.OnTransfer(token); return; }
        _pending -= (int)token; // the token is the transfer's copies
        if (_pending == 0) Finish();
    }
}
