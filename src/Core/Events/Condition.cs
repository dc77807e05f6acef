namespace Sim.Core;

/// <summary>
/// Waiting on several things at once: "when all the guests have arrived" (all-of) or "when the first
/// taxi comes" (any-of). Its value is the list of events that had fired when it triggered, in firing
/// order. All-of fails as soon as one of its events fails.
/// </summary>
public sealed class Condition : Event, IEventWaiter
{
    private readonly Event[] _events;
    private readonly bool _all;
    private readonly List<Event> _fired;

    internal Condition(Simulation simulation, Event[] events, bool all) : base(simulation)
    {
        ArgumentNullException.ThrowIfNull(events);
        _events = events;
        _all = all;
        _fired = new List<Event>(events.Length);
        foreach (var e in events)
        {
            if (e is null) throw new ArgumentException("a condition cannot contain a null event", nameof(events));
            if (!ReferenceEquals(e.Sim, simulation)) throw new ArgumentException("all events of a condition must belong to the same simulation", nameof(events));
        }
        foreach (var e in events)
        {
            if (e.IsProcessed) OnEvent(e);
            else e.AddWaiter(this);
            if (IsTriggered) break;
        }
        if (!IsTriggered && (events.Length == 0 || (_all && _fired.Count == events.Length))) Succeed(_fired);
    }

    public IReadOnlyList<Event> Events => _events;

    public void OnEvent(Event e)
    {
        if (IsTriggered) return;
        if (!e.Ok)
        {
            e.Defused = true;
            Fail((Exception)e.ValueOrError!);
            Detach();
            return;
        }
        _fired.Add(e);
        if (!_all || _fired.Count == _events.Length)
        {
            Succeed(_fired);
            Detach();
        }
    }

    private void Detach()
    {
        foreach (var e in _events)
            if (!e.IsProcessed) e.RemoveWaiter(this);
    }
}
