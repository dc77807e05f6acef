using Sim.Core.Agenda;
using Sim.Core.Randomness;

namespace Sim.Core;

/// <summary>
/// The simulated world's clock and agenda. Like a stage manager with a cue sheet: nothing happens
/// between cues, so the clock jumps straight from one scheduled happening to the next. Behaviour is
/// written either as processes (C# iterators that <c>yield return</c> the events they wait for) or as
/// plain callbacks for hot paths; both go through the same queue. Equal-time happenings fire in the
/// order they were scheduled, so a run is a pure function of the model and its seed.
/// </summary>
public sealed class Simulation
{
    private readonly EventQueue _queue = new();
    private readonly Dictionary<string, RandomStream> _streams = new(StringComparer.Ordinal);
    private double _now;
    private long _processed;
    private bool _stopRequested;

    public Simulation(ulong seed = 0) => Seed = seed;

    /// <summary>Current simulated time in seconds.</summary>
    public double Now => _now;

    /// <summary>The run seed from which every named random stream is derived.</summary>
    public ulong Seed { get; }

    /// <summary>Queue entries processed so far (events fired, callbacks run, processes started).</summary>
    public long EventsProcessed => _processed;

    /// <summary>Entries still waiting in the queue.</summary>
    public int PendingCount => _queue.Count;

    /// <summary>The process whose body is executing right now, or null in callbacks.</summary>
    public Process? ActiveProcess { get; internal set; }

    /// <summary>Records spans for a Chrome-trace/Perfetto timeline when set; null (off) by default.</summary>
    public Timeline.TimelineRecorder? Timeline { get; set; }

    /// <summary>Runs <paramref name="action"/> after <paramref name="delay"/> seconds. Allocates nothing
    /// when the delegate is cached by the caller.</summary>
    public void Schedule(double delay, Action action)
    {
        CheckDelay(delay);
        _queue.Push(_now + delay, EntryKind.Callback, action, 0);
    }

    /// <summary>Runs <paramref name="action"/>(<paramref name="arg"/>) after <paramref name="delay"/>
    /// seconds: the allocation-free way to pass an id (a flow, a worker) to a shared handler.</summary>
    public void Schedule(double delay, Action<long> action, long arg)
    {
        CheckDelay(delay);
        _queue.Push(_now + delay, EntryKind.CallbackWithArg, action, arg);
    }

    /// <summary>Runs <paramref name="action"/> at absolute time <paramref name="time"/> (not before Now).</summary>
    public void ScheduleAt(double time, Action<long> action, long arg)
    {
        if (!(time >= _now)) throw new ArgumentOutOfRangeException(nameof(time), time, $"must be >= Now ({_now}) and not NaN");
        _queue.Push(time, EntryKind.CallbackWithArg, action, arg);
    }

    /// <summary>An event that succeeds with <paramref name="value"/> after <paramref name="delay"/> seconds.</summary>
    public Timeout Timeout(double delay, object? value = null) => new(this, delay, value);

    /// <summary>For the running process: an event that fires after <paramref name="delay"/> seconds,
    /// like <see cref="Timeout"/> but without allocating: it is the process's own timer, wound again by
    /// its next <c>Sleep</c>. Yield it at once (<c>yield return sim.Sleep(d);</c>) and do not keep it;
    /// use <see cref="Timeout"/> for an event to combine in conditions or share.</summary>
    public Event Sleep(double delay) =>
        (ActiveProcess ?? throw new InvalidOperationException("Sleep is for the body of a running process; use Timeout elsewhere")).Sleep(delay);

    /// <summary>A plain event for the model to succeed or fail later.</summary>
    public Event Event() => new(this);

    /// <summary>Starts a process at the current time (after already scheduled same-time entries).</summary>
    public Process Process(IEnumerable<Event> body, string? name = null)
    {
        var process = new Process(this, body, name);
        _queue.Push(_now, EntryKind.StartProcess, process, 0);
        return process;
    }

    /// <summary>Succeeds when all <paramref name="events"/> have succeeded; fails when any fails.</summary>
    public Condition AllOf(params Event[] events) => new(this, events, all: true);

    /// <summary>Succeeds when any of <paramref name="events"/> has succeeded.</summary>
    public Condition AnyOf(params Event[] events) => new(this, events, all: false);

    /// <summary>The random stream of the named component. Streams are derived from the run seed and
    /// the name alone, so adding a component never changes another component's draws.</summary>
    public RandomStream Random(string componentName)
    {
        if (!_streams.TryGetValue(componentName, out var stream))
        {
            stream = new RandomStream(Seed, componentName);
            _streams.Add(componentName, stream);
        }
        return stream;
    }

    /// <summary>Runs until no entries are left or <see cref="Stop"/> is called.</summary>
    public void Run() => RunUntil(double.PositiveInfinity);

    /// <summary>Runs all entries scheduled up to and including <paramref name="until"/>, then sets
    /// the clock to <paramref name="until"/>.</summary>
    public void Run(double until)
    {
        if (double.IsNaN(until) || until < _now)
            throw new ArgumentOutOfRangeException(nameof(until), until, $"must be >= Now ({_now})");
        RunUntil(until);
        if (!_stopRequested && !double.IsPositiveInfinity(until)) _now = until;
        _stopRequested = false;
    }

    /// <summary>Runs until <paramref name="until"/> has been processed, or <see cref="Stop"/> is called.
    /// Throws <see cref="InvalidOperationException"/> if the agenda runs dry first: nothing left could
    /// ever trigger the event, so the model is stuck (as SimPy's run(until=event) does). If the event
    /// fails and nobody else handles it, its failure is thrown (<see cref="EventFailedException"/>).</summary>
    public void Run(Event until)
    {
        if (until.IsProcessed) return;
        until.AddCallback(_ => _stopRequested = true);
        RunUntil(double.PositiveInfinity);
        _stopRequested = false;
        if (!until.IsProcessed && _queue.Count == 0)
            throw new InvalidOperationException($"the agenda ran dry at t = {_now} s before {until} happened: nothing left could trigger it");
    }

    /// <summary>Stops the run after the entry being processed now.</summary>
    public void Stop() => _stopRequested = true;

    private void RunUntil(double until)
    {
        var queue = _queue;
        while (queue.Count > 0 && !_stopRequested)
        {
            if (queue.PeekTime > until) break;
            var entry = queue.Pop();
            _now = entry.Time;
            _processed++;
            // Unsafe.As below: Push stored Target together with a Kind that names its type, so the cast
            // cannot be wrong; it skips a type check on the hottest path of the kernel.
            switch (entry.Kind)
            {
                case EntryKind.FireEvent:
                case EntryKind.FireProcessTimer:
                    System.Runtime.CompilerServices.Unsafe.As<Event>(entry.Target).Fire();
                    break;
                case EntryKind.Callback:
                    System.Runtime.CompilerServices.Unsafe.As<Action>(entry.Target)();
                    break;
                case EntryKind.CallbackWithArg:
                    System.Runtime.CompilerServices.Unsafe.As<Action<long>>(entry.Target)(entry.Arg);
                    break;
                case EntryKind.StartProcess:
                    System.Runtime.CompilerServices.Unsafe.As<Process>(entry.Target).Start();
                    break;
            }
        }
    }

    internal void ScheduleFire(Event e, double delay) => _queue.Push(_now + delay, EntryKind.FireEvent, e, 0);

    internal void ScheduleProcessTimer(ProcessTimer timer, double delay) => _queue.Push(_now + delay, EntryKind.FireProcessTimer, timer, 0);

    internal static void CheckDelay(double delay)
    {
        if (!(delay >= 0) || double.IsPositiveInfinity(delay))
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "a delay must be finite and >= 0");
    }
}
