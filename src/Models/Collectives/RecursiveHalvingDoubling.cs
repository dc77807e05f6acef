using Sim.Models.Network;

namespace Sim.Models.Collectives;

/// <summary>
/// Recursive halving and doubling (Rabenseifner's all-reduce, as in MPICH), like a knockout tournament
/// played twice: in reduce-scatter step k every rank swaps half of what it still holds with the partner
/// p/2^(k+1) away, so after log2 p steps each rank owns 1/p of the reduced vector; all-gather runs the
/// tournament backwards, doubling the block each step. Cost: log2(p) * alpha + (p-1)/p * n * beta per
/// half. Needs p a power of two (non-powers need MPICH's extra fold-in step, not modelled).
/// </summary>
public sealed class RecursiveHalvingDoubling : StepwiseCollective
{
    private readonly int _log;
    private readonly bool _halving, _doubling;

    public RecursiveHalvingDoubling(INetwork network, IReadOnlyList<int> ranks, double bytes, CollectiveKind kind)
        : base(network, ranks, bytes)
    {
        if ((P & (P - 1)) != 0) throw new ArgumentException($"recursive halving-doubling needs a power-of-two rank count, got {P}", nameof(ranks));
        _log = System.Numerics.BitOperations.Log2((uint)P);
        (_halving, _doubling) = kind switch
        {
            CollectiveKind.AllReduce => (true, true),
            CollectiveKind.ReduceScatter => (true, false),
            CollectiveKind.AllGather => (false, true),
            _ => throw new ArgumentException($"rhd implements allreduce, reducescatter and allgather, not {kind}", nameof(kind)),
        };
    }

    protected override int Steps => (_halving ? _log : 0) + (_doubling ? _log : 0);

    protected override int SendPeer(int r, int step) => r ^ Distance(step);

    protected override double SendBytes(int r, int step)
    {
        // Halving step k sends n / 2^(k+1); doubling step j sends n * 2^j / p.
        if (_halving && step < _log) return Bytes / (2L << step);
        int j = _halving ? step - _log : step;
        return Bytes * (1L << j) / P;
    }

    private int Distance(int step)
    {
        if (_halving && step < _log) return P >> (step + 1);
        int j = _halving ? step - _log : step;
        return 1 << j;
    }
}
