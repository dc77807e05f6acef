using Sim.Models.Network;

namespace Sim.Models.Collectives;

/// <summary>
/// All-to-all, like a card dealer giving every player a different card from every other player: each
/// rank sends n/p bytes to each of the p-1 others, all at once (NCCL posts every send and receive in one
/// group). On a non-blocking switch each rank's link carries (p-1) n/p bytes in each direction:
/// T = alpha + (p-1)/p * n * beta. Issues p(p-1) transfers, so it is meant for up to a few thousand ranks.
/// </summary>
public sealed class AllToAll : Collective
{
    private long _pending;

    public AllToAll(INetwork network, IReadOnlyList<int> ranks, double bytes) : base(network, ranks, bytes) { }

    protected override void Begin()
    {
        if (P == 1) { FinishSoon(); return; }
        _pending = (long)P * (P - 1);
        double piece = Bytes / P;
        for (int r = 0; r < P; r++)
            for (int k = 1; k < P; k++) Send(piece, r, (r + k) % P, 0);
    }

    protected override void OnTransfer(long token)
    {
        if (--_pending == 0) Finish();
    }
}
