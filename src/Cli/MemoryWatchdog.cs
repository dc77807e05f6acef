using Sim.Scenarios.Cost;

namespace Sim.Cli;

/// <summary>
/// Watches the process's memory while a run simulates, like a fuse: a warning on stderr when the
/// resident set passes ten times the printed estimate, and above the budget (8 GiB unless
/// <c>--force</c>) an error and exit code 2 before the machine starts swapping. Results are written
/// into a staging folder and swapped in at the end, so stopping midway leaves the old results whole.
/// Only the real <c>sim</c> process stops itself (<see cref="ExitOnBreach"/>); commands run inside a
/// test host only report.
/// </summary>
public sealed class MemoryWatchdog : IDisposable
{
    /// <summary>Set by Program.Main: this process is `sim` itself and may exit on a breach.</summary>
    public static bool ExitOnBreach { get; set; }

    private const int PeriodMs = 200;
    private readonly Timer _timer;
    private readonly double _estimate;
    private readonly double _budget;
    private readonly TextWriter _stderr;
    private int _warned;
    private int _stopped;

    private readonly TextWriter? _report;

    internal MemoryWatchdog(double estimateBytes, double budgetBytes, TextWriter stderr, TextWriter? report = null, Func<long>? residentBytes = null)
    {
        _report = report;
        _resident = residentBytes ?? (() => Environment.WorkingSet);
        _estimate = estimateBytes;
        _budget = budgetBytes;
        _stderr = stderr;
        _timer = new Timer(_ => Check(), null, PeriodMs, PeriodMs);
    }

    /// <summary>The peak resident set seen so far, in bytes.</summary>
    public long PeakBytes { get; private set; }

    /// <summary>Checks the budget before the run (refusing it with a located error unless forced),
    /// prints the estimate when <paramref name="loud"/>, and starts watching.</summary>
    public static MemoryWatchdog Guard(RunCost cost, string scenarioFile, bool force, bool loud, TextWriter stdout, TextWriter stderr)
    {
        var budget = force ? CostBudget.Unlimited : CostBudget.Default;
        budget.Check(cost, scenarioFile);
        if (loud) stdout.WriteLine($"estimate: {cost}");
        return new MemoryWatchdog(cost.MemoryBytes, budget.MaxMemoryBytes, stderr, loud ? stdout : null);
    }

    private readonly Func<long> _resident;

    /// <summary>One look at the resident set (the timer calls it every 200 ms; tests call it directly).</summary>
    internal void Check()
    {
        long now = _resident();
        if (now > PeakBytes) PeakBytes = now;
        if (now > 10 * _estimate && Interlocked.Exchange(ref _warned, 1) == 0)
            _stderr.WriteLine($"warning: memory use {RunCost.Bytes(now)} is above ten times the estimate ({RunCost.Bytes(_estimate)})");
        if (now > _budget && Interlocked.Exchange(ref _stopped, 1) == 0)
        {
            _stderr.WriteLine($"error: memory use {RunCost.Bytes(now)} passed the budget of {RunCost.Bytes(_budget)} (estimate was {RunCost.Bytes(_estimate)}); " +
                              "the run is stopped and the results folder left as it was; make it smaller, or pass --force");
            _stderr.Flush();
            if (ExitOnBreach) Environment.Exit(Commands.ExitCodes.BadInput);
        }
    }

    /// <summary>Stops watching; when loud, prints the process's peak resident set beside the estimate.</summary>
    public void Dispose()
    {
        _timer.Dispose();
        if (_report is null) return;
        long peak = Math.Max(PeakBytes, System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64);
        _report.WriteLine($"peak memory: {RunCost.Bytes(peak)} (estimate {RunCost.Bytes(_estimate)})");
    }
}
