namespace Sim.Core;

/// <summary>
/// Something that will happen at a point in simulated time, like a parcel delivery that people can
/// wait for. An event is pending until someone triggers it (<see cref="Succeed"/> or <see cref="Fail"/>),
/// which books its firing on the agenda; when it fires, everyone waiting is told, in the order they
/// started waiting. A failure that nobody handles stops the run, so errors are never lost silently:
/// a process that waited on it handles it (it resumes with the fault, see <see cref="Process.HandleFault"/>),
/// so does a condition (which fails in turn); a plain callback must set <see cref="Defused"/> itself.
/// </summary>
public class Event
{
    internal enum EventState : byte { Pending, Triggered, Processed }

    internal readonly Simulation Sim;
    internal EventState State;
    internal bool Ok = true;
    internal object? ValueOrError;
    // Almost every event has exactly one waiter (the process that yielded it), kept inline; a list
    // takes over only when a second one arrives. One field keeps a Timeout at 48 bytes.
    private object? _waiters; // null, an IEventWaiter, or a List<IEventWaiter>

    public Event(Simulation simulation) => Sim = simulation;

    public Simulation Simulation => Sim;
    public bool IsTriggered => State != EventState.Pending;
    public bool IsProcessed => State == EventState.Processed;
    /// <summary>True unless the event failed. Meaningful once triggered.</summary>
    public bool IsOk => Ok;

    /// <summary>Set when a failed event's exception was handled by someone, so the run does not stop.</summary>
    public bool Defused { get; set; }

    /// <summary>The value it succeeded with; reading it on a failed event throws its exception.</summary>
    public object? Value
    {
        get
        {
            if (State == EventState.Pending) throw new InvalidOperationException("the event has not been triggered yet");
            if (!Ok) throw new EventFailedException((Exception)ValueOrError!);
            return ValueOrError;
        }
    }

    /// <summary>The exception of a failed event, else null.</summary>
    public Exception? Error => Ok ? null : ValueOrError as Exception;

    /// <summary>Triggers the event successfully; it fires at the current time, after entries already booked.</summary>
    public Event Succeed(object? value = null)
    {
        if (State != EventState.Pending) throw new InvalidOperationException($"{this} has already been triggered");
        ValueOrError = value;
        Ok = true;
        State = EventState.Triggered;
        Sim.ScheduleFire(this, 0);
        return this;
    }

    /// <summary>Triggers the event as failed with <paramref name="exception"/>.</summary>
    public Event Fail(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (State != EventState.Pending) throw new InvalidOperationException($"{this} has already been triggered");
        ValueOrError = exception;
        Ok = false;
        State = EventState.Triggered;
        Sim.ScheduleFire(this, 0);
        return this;
    }

    /// <summary>Calls <paramref name="callback"/> when the event fires (at once if it already has).</summary>
    public void AddCallback(Action<Event> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (State == EventState.Processed) { callback(this); return; }
        AddWaiter(new CallbackWaiter(callback));
    }

    internal void AddWaiter(IEventWaiter waiter)
    {
        switch (_waiters)
        {
            case null: _waiters = waiter; break;
            case List<IEventWaiter> list: list.Add(waiter); break;
            default: _waiters = new List<IEventWaiter>(2) { (IEventWaiter)_waiters, waiter }; break;
        }
    }

    internal void RemoveWaiter(IEventWaiter waiter)
    {
        if (ReferenceEquals(_waiters, waiter)) _waiters = null;
        else if (_waiters is List<IEventWaiter> list) list.Remove(waiter);
    }

    /// <summary>Called by the kernel when the event's time has come.</summary>
    internal virtual void Fire()
    {
        State = EventState.Processed;
        var waiters = _waiters;
        _waiters = null;
        if (waiters is List<IEventWaiter> list)
            foreach (var w in list) w.OnEvent(this);
        else
            // Unsafe.As: _waiters holds null, a list (handled above) or an IEventWaiter, nothing else.
            System.Runtime.CompilerServices.Unsafe.As<IEventWaiter>(waiters)?.OnEvent(this);
        // Waiting is not handling: a failure that no waiter defused stops the run.
        if (!Ok && !Defused)
            throw new EventFailedException((Exception)ValueOrError!);
    }

    public override string ToString() => $"{GetType().Name}({State})";

    private sealed class CallbackWaiter(Action<Event> callback) : IEventWaiter
    {
        public void OnEvent(Event e) => callback(e);
    }
}

/// <summary>Whoever waits on an event: a process, a condition, a callback.</summary>
internal interface IEventWaiter
{
    void OnEvent(Event e);
}

/// <summary>Thrown when a failed event's value is read, or when a failure reaches nobody.</summary>
public sealed class EventFailedException(Exception inner)
    : Exception($"a simulation event failed: {inner.Message}", inner);
