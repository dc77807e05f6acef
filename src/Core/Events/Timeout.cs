namespace Sim.Core;

/// <summary>
/// An alarm clock: an event triggered the moment it is made, which fires a fixed delay later.
/// </summary>
public sealed class Timeout : Event
{
    public Timeout(Simulation simulation, double delay, object? value = null) : base(simulation)
    {
        Simulation.CheckDelay(delay);
        ValueOrError = value;
        State = EventState.Triggered;
        simulation.ScheduleFire(this, delay);
    }
}
