using Sim.Core;

namespace Sim.Models.Compute;

/// <summary>
/// The cores of one CPU host shared by everything that runs on it, like a kitchen with a few stoves
/// shared by several cooks: when more dishes are on than there are stoves, every dish cooks slower.
/// A job's threads (compute threads of co-located workers, and the communication work of a CPU
/// collective backend such as gloo, which copies and reduces bytes on the same cores) each carry an
/// amount of CPU work in core-seconds; the host serves them by processor sharing.
///
/// Shares follow Linux CFS with autogroups (sched_autogroup, on by default on desktop and server
/// kernels): the scheduler is fair between groups first (one group per session, for instance one
/// per terminal or service) and then between the threads of a group. So the host's cores go to the
/// job's group and to the other groups by max-min fairness (water-filling: a group that needs less
/// than an equal split gets what it needs, the rest is split among the others), and the job's share
/// is divided equally among its runnable threads, at most one core each. Other groups are given as
/// constant demands in cores. What a group got while the job ran (measured from /proc) is a valid
/// demand: a group that got less than it wanted got exactly the fair level, and with the level as its
/// demand it still gets the level, so the allocation is the same.
///
/// The host allocates nothing per event: threads live in arrays, completions are scheduled with the
/// kernel's (callback, argument) path, and rescheduling invalidates older completions by a version
/// number instead of cancelling them.
/// </summary>
public sealed class SharedCpuHost
{
    private readonly Simulation _sim;
    private readonly double[] _background; // other groups' demands, ascending
    private readonly Action<long> _onTick;
    private double[] _remaining = new double[8];
    private Action<long>[] _callbacks = new Action<long>[8];
    private long[] _tokens = new long[8];
    private int _count;
    private double _rate;          // measured CPU seconds of work done per second for each runnable job thread
    private double _lastUpdate;
    private long _version;

    /// <summary>Work below this many core-seconds (a picosecond) is done: rounding of rate x time.</summary>
    private const double Epsilon = 1e-12;

    /// <param name="cores">Cores of the host.</param>
    /// <param name="backgroundGroupCores">CPU demand of each other scheduling group, in cores.</param>
    /// <param name="coreSpeed">How fast a core runs the work against when its CPU seconds were measured (1: as measured; 0.9: the
    /// machine is 10% slower now, so a measured CPU second takes 1/0.9 s of a core).</param>
    public SharedCpuHost(Simulation simulation, int cores, IReadOnlyList<double>? backgroundGroupCores = null, double coreSpeed = 1)
    {
        if (cores < 1) throw new ArgumentOutOfRangeException(nameof(cores), cores, "a host needs at least one core");
        if (!(coreSpeed > 0) || !double.IsFinite(coreSpeed)) throw new ArgumentOutOfRangeException(nameof(coreSpeed), coreSpeed, "core speed must be finite and > 0");
        var background = (backgroundGroupCores ?? []).ToArray();
        foreach (double d in background)
            if (!(d >= 0) || !double.IsFinite(d)) throw new ArgumentOutOfRangeException(nameof(backgroundGroupCores), d, "background demands must be finite and >= 0 cores");
        Array.Sort(background);
        _sim = simulation;
        Cores = cores;
        CoreSpeed = coreSpeed;
        _background = background;
        _onTick = OnTick;
    }

    public int Cores { get; }

    /// <summary>Measured CPU seconds of work a core does per second (1: the speed the work was measured at).</summary>
    public double CoreSpeed { get; }

    /// <summary>Job threads currently holding work.</summary>
    public int RunnableThreads => _count;

    /// <summary>Other groups' demands, ascending.</summary>
    public IReadOnlyList<double> BackgroundGroupCores => _background;

    /// <summary>
    /// Cores the job's group receives while <paramref name="runnableThreads"/> of its threads are
    /// runnable: max-min fair split of <see cref="Cores"/> between the job (demand: one core per
    /// thread, at most all cores) and the background groups.
    /// </summary>
    public double JobCores(int runnableThreads)
    {
        if (runnableThreads <= 0) return 0;
        double job = Math.Min(runnableThreads, Cores);
        // Water-filling in ascending order of demand: each group in turn gets its demand or an equal
        // split of what is left, whichever is smaller; the job takes its turn among the background
        // groups, after those that demand less.
        double left = Cores;
        int groups = _background.Length + 1;
        foreach (double demand in _background)
        {
            if (job <= demand) break;
            left -= Math.Min(demand, left / groups);
            groups--;
        }
        return Math.Min(job, left / groups);
    }

    /// <summary>Starts a job thread with <paramref name="cpuSeconds"/> of work (core-seconds) now; calls
    /// <paramref name="onDone"/>(<paramref name="token"/>) when the work is done.</summary>
    public void Run(double cpuSeconds, Action<long> onDone, long token)
    {
        if (!(cpuSeconds >= 0) || !double.IsFinite(cpuSeconds)) throw new ArgumentOutOfRangeException(nameof(cpuSeconds), cpuSeconds, "CPU work must be finite and >= 0");
        ArgumentNullException.ThrowIfNull(onDone);
        Advance();
        if (_count == _remaining.Length) Grow();
        _remaining[_count] = cpuSeconds;
        _callbacks[_count] = onDone;
        _tokens[_count] = token;
        _count++;
        Reschedule();
    }

    private void Advance()
    {
        double elapsed = _sim.Now - _lastUpdate;
        _lastUpdate = _sim.Now;
        if (elapsed <= 0 || _count == 0) return;
        double done = _rate * elapsed;
        for (int i = 0; i < _count; i++) _remaining[i] -= done;
    }

    private void Reschedule()
    {
        _version++;
        if (_count == 0) { _rate = 0; return; }
        _rate = JobCores(_count) * CoreSpeed / _count;
        double least = double.PositiveInfinity;
        for (int i = 0; i < _count; i++) least = Math.Min(least, _remaining[i]);
        _sim.Schedule(Math.Max(least, 0) / _rate, _onTick, _version);
    }

    private void OnTick(long version)
    {
        if (version != _version) return; // superseded by a later arrival or completion
        Advance();
        // Finish one thread at a time: its callback may start new work, which reschedules.
        while (TryFinishOne(out var callback, out long token))
        {
            Reschedule();
            callback(token);
        }
    }

    private bool TryFinishOne(out Action<long> callback, out long token)
    {
        for (int i = 0; i < _count; i++)
        {
            if (_remaining[i] > Epsilon) continue;
            callback = _callbacks[i];
            token = _tokens[i];
            _count--;
            _remaining[i] = _remaining[_count];
            _callbacks[i] = _callbacks[_count];
            _tokens[i] = _tokens[_count];
            _callbacks[_count] = null!;
            return true;
        }
        callback = null!;
        token = 0;
        return false;
    }

    private void Grow()
    {
        Array.Resize(ref _remaining, _remaining.Length * 2);
        Array.Resize(ref _callbacks, _callbacks.Length * 2);
        Array.Resize(ref _tokens, _tokens.Length * 2);
    }
}
