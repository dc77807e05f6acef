namespace Sim.Core;

/// <summary>
/// A rendezvous, like hikers waiting at a trail junction until the whole group is there. Each of
/// <see cref="Parties"/> participants calls <see cref="Arrive"/> and waits on the returned event; the
/// last arrival releases everyone and the barrier resets for the next round (generation).
/// </summary>
public sealed class Barrier
{
    private readonly Simulation _sim;
    private Event _release;
    private int _arrived;

    public Barrier(Simulation simulation, int parties)
    {
        if (parties < 1) throw new ArgumentOutOfRangeException(nameof(parties), parties, "a barrier needs at least one party");
        _sim = simulation;
        Parties = parties;
        _release = simulation.Event();
    }

    public int Parties { get; }

    /// <summary>Completed rounds.</summary>
    public long Generation { get; private set; }

    /// <summary>Registers an arrival; the returned event fires when all parties of this round arrived.</summary>
    public Event Arrive()
    {
        var release = _release;
        if (++_arrived == Parties)
        {
            _arrived = 0;
            Generation++;
            _release = _sim.Event();
            release.Succeed(Generation);
        }
        return release;
    }
}
