namespace Sim.Core;

/// <summary>
/// An alarm clock: an event triggered the moment it is made, which fires a fixed delay later.
/// </summary>
public sealed class Timeout : Event
{
    public Timeout(Simulation simulation, double delay, object? value = null) : base(simulation)
    {
        if (!(delay >= 0) || double.IsPositiveInfinity(delay))
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "a timeout's delay must be finite and >= 0");
        ValueOrError = value;
        State = EventState.Triggered;
        simulation.ScheduleFire(this, delay);
    }
}
