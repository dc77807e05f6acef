namespace Sim.Core;

/// <summary>
/// An actor with a script, like a worker following a checklist: each <c>yield return</c> hands the
/// simulation an event to wait for, and the script resumes when it fires. The process is itself an
/// event that fires when its script ends, so others can wait for it to finish.
///
/// C# iterators cannot receive exceptions at a yield, so faults (an interrupt, a failed event) are
/// delivered as a flag: after a yield, <see cref="HandleFault"/> tells whether the process was woken
/// by a fault and marks it handled. A fault the script does not handle before its next yield fails the
/// process, the way an uncaught exception would.
/// </summary>
public sealed class Process : Event, IEventWaiter
{
    private readonly IEnumerator<Event> _body;
    private Event? _target;
    private Exception? _fault;
    private bool _faultHandled;
    // Allocated with the process, so it sits next to it in memory (see ProcessTimer).
    private ProcessTimer _timer;

    internal Process(Simulation simulation, IEnumerable<Event> body, string? name) : base(simulation)
    {
        ArgumentNullException.ThrowIfNull(body);
        _body = body.GetEnumerator();
        Name = name;
        _timer = new ProcessTimer(simulation);
    }

    /// <summary>The process's reusable timer, wound for <paramref name="delay"/> seconds.</summary>
    internal Event Sleep(double delay)
    {
        // A timer still running (the process was interrupted while asleep, or slept without yielding)
        // keeps running untouched, as a Timeout would; the process takes a new one.
        if (_timer.IsTriggered && !_timer.IsProcessed) _timer = new ProcessTimer(Sim);
        _timer.Arm(delay);
        return _timer;
    }

    public string? Name { get; }

    /// <summary>True while the script has not finished.</summary>
    public bool IsAlive => State == EventState.Pending;

    /// <summary>The event the process is waiting for, if any.</summary>
    public Event? Target => _target;

    /// <summary>The value the process finishes with; the script may set it before it ends.</summary>
    public object? ReturnValue { get; set; }

    /// <summary>The fault that woke the process (an <see cref="InterruptedException"/> or the exception
    /// of a failed event), or null.</summary>
    public Exception? Fault => _fault;

    /// <summary>The interrupt cause, when the process was woken by <see cref="Interrupt"/>.</summary>
    public object? InterruptCause => (_fault as InterruptedException)?.Cause;

    /// <summary>After a yield: true if the process was woken by a fault; marks that fault handled.</summary>
    public bool HandleFault()
    {
        if (_fault == null) return false;
        _faultHandled = true;
        return true;
    }

    /// <summary>Interrupts the process at the current time with <paramref name="cause"/>: it stops
    /// waiting for its current event and resumes with a fault it can handle.</summary>
    public void Interrupt(object? cause = null)
    {
        if (!IsAlive) throw new InvalidOperationException($"process {Name ?? "?"} has finished and cannot be interrupted");
        if (ReferenceEquals(Sim.ActiveProcess, this)) throw new InvalidOperationException("a process cannot interrupt itself");
        new Interruption(this, cause);
    }

    internal void Start() => Step();

    void IEventWaiter.OnEvent(Event e)
    {
        if (!ReferenceEquals(e, _target)) return; // a stale wake-up after an interrupt
        _target = null;
        if (!e.Ok)
        {
            e.Defused = true;
            _fault = (Exception)e.ValueOrError!;
            _faultHandled = false;
        }
        Step();
    }

    internal void Deliver(Interruption interruption)
    {
        if (!IsAlive) return;
        _target?.RemoveWaiter(this);
        _target = null;
        _fault = (Exception)interruption.ValueOrError!;
        _faultHandled = false;
        Step();
    }

    private void Step()
    {
        var sim = Sim;
        var previous = sim.ActiveProcess;
        sim.ActiveProcess = this;
        try
        {
            while (true)
            {
                bool more;
                try { more = _body.MoveNext(); }
                catch (Exception ex)
                {
                    Finish(ex);
                    return;
                }
                if (_fault != null)
                {
                    if (!_faultHandled)
                    {
                        Finish(_fault);
                        return;
                    }
                    _fault = null;
                    _faultHandled = false;
                }
                if (!more)
                {
                    Finish(null);
                    return;
                }
                var next = _body.Current ?? throw new InvalidOperationException($"process {Name ?? "?"} yielded null");
                if (!ReferenceEquals(next.Sim, sim)) throw new InvalidOperationException($"process {Name ?? "?"} yielded an event of another simulation");
                if (next.State == EventState.Processed)
                {
                    // Already happened: continue at once with its outcome, as if woken by it.
                    if (!next.Ok) { next.Defused = true; _fault = (Exception)next.ValueOrError!; _faultHandled = false; }
                    continue;
                }
                _target = next;
                next.AddWaiter(this);
                return;
            }
        }
        finally
        {
            sim.ActiveProcess = previous;
        }
    }

    private void Finish(Exception? error)
    {
        _body.Dispose();
        _fault = null;
        if (error == null) Succeed(ReturnValue);
        else Fail(error);
    }

    public override string ToString() => $"Process({Name ?? "?"}, {State})";
}

/// <summary>The fault a process sees when it is interrupted; <see cref="Cause"/> says why.</summary>
public sealed class InterruptedException(object? cause)
    : Exception($"process interrupted: {cause ?? "no cause given"}")
{
    public object? Cause { get; } = cause;
}

/// <summary>The queued delivery of an interrupt: fires at the time of the interrupt call.</summary>
internal sealed class Interruption : Event
{
    private readonly Process _process;

    public Interruption(Process process, object? cause) : base(process.Sim)
    {
        _process = process;
        ValueOrError = new InterruptedException(cause);
        Ok = false;
        Defused = true;
        State = EventState.Triggered;
        Sim.ScheduleFire(this, 0);
    }

    internal override void Fire()
    {
        State = EventState.Processed;
        _process.Deliver(this);
    }
}
