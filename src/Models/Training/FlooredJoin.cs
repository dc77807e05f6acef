namespace Sim.Models.Training;

/// <summary>
/// The end of a blocking collective on a CPU host: every rank's CPU work done and a least wall time (the floor)
/// passed since it began, whichever comes last. A mutable struct held in a field of its owner, so that counting
/// ranks allocates nothing per event.
/// </summary>
internal struct FlooredJoin
{
    private int _ranksLeft;
    private bool _floorPassed;

    /// <summary>Begins a collective of <paramref name="ranks"/> ranks; a floor of 0 counts as already passed (the
    /// owner schedules no floor event then).</summary>
    public void Begin(int ranks, double floorSeconds)
    {
        _ranksLeft = ranks;
        _floorPassed = floorSeconds == 0;
    }

    /// <summary>One rank's CPU work is done; true when that ends the collective.</summary>
    public bool RankDone() => --_ranksLeft == 0 && _floorPassed;

    /// <summary>The floor has passed; true when that ends the collective.</summary>
    public bool FloorPassed()
    {
        _floorPassed = true;
        return _ranksLeft == 0;
    }
}
