using Sim.Models.Network;

namespace Sim.Models.Collectives;

/// <summary>
/// Collectives made of numbered steps in which every rank sends one message and receives one, like a
/// square dance where each figure starts once you have both given and taken a hand. Rank r issues step
/// s+1 as soon as its step-s send has arrived and it has received its step-s message; no global barrier,
/// so a slow pair delays only those who depend on it. Subclasses say to whom and how much.
/// </summary>
public abstract class StepwiseCollective : Collective
{
    private int[] _issued = [], _sendsDone = [], _received = [];
    private bool[] _finished = [];
    private int _ranksDone;

    protected StepwiseCollective(INetwork network, IReadOnlyList<int> ranks, double bytes) : base(network, ranks, bytes) { }

    /// <summary>Number of steps every rank performs.</summary>
    protected abstract int Steps { get; }
    /// <summary>Rank index that rank <paramref name="r"/> sends to at <paramref name="step"/>.</summary>
    protected abstract int SendPeer(int r, int step);
    /// <summary>Bytes rank <paramref name="r"/> sends at <paramref name="step"/>.</summary>
    protected abstract double SendBytes(int r, int step);

    protected override void Begin()
    {
        if (P == 1 || Steps == 0) { FinishSoon(); return; }
        _issued = new int[P]; _sendsDone = new int[P]; _received = new int[P]; _finished = new bool[P];
        for (int r = 0; r < P; r++) TryAdvance(r);
    }

    protected override void OnTransfer(long token)
    {
        int r = (int)token;
        int peer = SendPeer(r, _sendsDone[r]); // a rank has one send in flight, so they complete in step order
        _sendsDone[r]++;
        _received[peer]++;
        TryAdvance(r);
        if (peer != r) TryAdvance(peer);
    }

    private void TryAdvance(int r)
    {
        int s = _issued[r];
        if (s < Steps)
        {
            if (_sendsDone[r] == s && _received[r] >= s)
            {
                _issued[r] = s + 1;
                Send(SendBytes(r, s), r, SendPeer(r, s), r);
            }
            return;
        }
        if (!_finished[r] && _sendsDone[r] == Steps && _received[r] == Steps)
        {
            _finished[r] = true;
            if (++_ranksDone == P) Finish();
        }
    }
}
