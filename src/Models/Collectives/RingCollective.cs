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
/// </summary>
public sealed class RingCollective : StepwiseCollective
{
    private readonly int _steps;
    private readonly double _stepBytes;
    private readonly RingMode _mode;
    private int _pending;

    public RingCollective(INetwork network, IReadOnlyList<int> ranks, double bytes, CollectiveKind kind, RingMode mode = RingMode.Aggregated)
        : base(network, ranks, bytes)
    {
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
        _pending = P;
        for (int r = 0; r < P; r++) Send(_steps * _stepBytes, r, (r + 1) % P, r, _steps);
    }

    protected override void OnTransfer(long token)
    {
        if (_mode == RingMode.Stepwise) { base.OnTransfer(token); return; }
        if (--_pending == 0) Finish();
    }
}

/// <summary>How a ring is lowered to transfers; see <see cref="RingCollective"/>.</summary>
public enum RingMode
{
    Aggregated,
    Stepwise,
}
