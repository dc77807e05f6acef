namespace Sim.Core;

/// <summary>
/// A process's own kitchen timer: instead of buying a new alarm clock for every nap (a
/// <see cref="Timeout"/> per wait), the process winds up the same one again. It behaves exactly like
/// a timeout while it runs; it is handed out by <see cref="Simulation.Sleep"/> and wound again by the
/// process's next sleep once it has fired, so nobody should hold on to it. (A timer still running when
/// the process sleeps again, after an interrupt, is left to fire on its own and replaced.)
///
/// Why: a process that loops on timeouts would otherwise allocate one event per iteration and leave
/// it for the garbage collector; with 100,000 such processes those short-lived objects are scattered
/// through memory, and each firing costs a cache miss on a fresh object. The timer is allocated next
/// to its process, so a wake-up touches memory that is already together.
/// </summary>
internal sealed class ProcessTimer(Simulation simulation) : Event(simulation)
{
    /// <summary>Winds the timer: triggered now, fires after <paramref name="delay"/>. Only when idle.</summary>
    public void Arm(double delay)
    {
        Simulation.CheckDelay(delay);
        ValueOrError = null;
        Ok = true;
        State = EventState.Triggered;
        Sim.ScheduleProcessTimer(this, delay);
    }
}
