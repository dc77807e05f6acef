using System.Globalization;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Profiling;

/// <summary>
/// Runs real data-parallel training (PyTorch DistributedDataParallel over gloo on 127.0.0.1,
/// N processes with one thread each) and reads back rank 0's iteration times, like staging a
/// real race to check the race simulator against. The measured window lasts at least
/// <c>minWindowSeconds</c> (more iterations than asked for when they are short), so that the CPU
/// clock ticks (10 ms) resolve what every scheduling group used during it.
/// </summary>
public sealed class MeasuredRunner(TimeSpan? timeout = null)
{
    public static readonly string[] Models = ["mlp", "cnn", "transformer"];
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromMinutes(10);

    public MeasuredRun Run(string model, int batch, int processes, int iterations, int warmup = 3, double minWindowSeconds = 1.0,
        CancellationToken cancellation = default)
    {
        CheckConfiguration(model, batch, processes);
        if (iterations < 1) throw new ArgumentException($"iterations: expected at least 1, got {iterations}");
        if (warmup < 0) throw new ArgumentException($"warmup: expected 0 or more, got {warmup}");
        if (!(minWindowSeconds >= 0) || minWindowSeconds > 3600) throw new ArgumentException($"minWindowSeconds: expected 0 to 3600, got {minWindowSeconds}");
        var steps = RunProfiler("ddp", "the DDP run", cancellation,
            "--model", model, "--batch", Invariant(batch), "--procs", Invariant(processes),
            "--iters", Invariant(iterations), "--warmup", Invariant(warmup), "--min-window", minWindowSeconds.ToString("R", CultureInfo.InvariantCulture));
        if (steps.Count < iterations)
            throw new InvalidOperationException($"the DDP run reported {steps.Count} iterations, expected at least {iterations}");
        return new MeasuredRun(model, batch, processes, steps);
    }

    /// <summary>
    /// Real DDP runs of every configuration in <paramref name="grid"/>, each measured in <paramref name="rounds"/> short
    /// windows of at least <paramref name="windowSeconds"/> and <paramref name="iterationsPerWindow"/> steps, the windows
    /// taken round-robin over the configurations (sim_profile.py ddp-rounds): every configuration's ranks are fresh processes
    /// of their own, as in <see cref="Run"/>, idle but for their windows. A burst of other load on this shared machine then
    /// spoils one window of a configuration rather than all of it (<see cref="MeasuredRun.MedianSeconds"/> takes the median
    /// over windows), at the cost of one launch for the whole grid. Returns the runs in grid order.
    /// </summary>
    public IReadOnlyList<MeasuredRun> RunRounds(IReadOnlyList<(string Model, int Batch, int Processes)> grid, int rounds = 5, double windowSeconds = 0.3,
        int iterationsPerWindow = 4, int warmupPerWindow = 2, CancellationToken cancellation = default) =>
        Rounds(grid, rounds, windowSeconds, iterationsPerWindow, warmupPerWindow, speedReference: false, cancellation).Runs;

    /// <summary>
    /// <see cref="RunRounds"/> with the speed reference (<see cref="SpeedReferenceMeasurement"/>'s mix, in a fresh one-thread
    /// process of its own) as one more configuration of the round-robin: <paramref name="rounds"/> windows of at least
    /// <paramref name="windowSeconds"/>, between the runs' windows, so that it sees the time slices they saw.
    /// </summary>
    public (IReadOnlyList<MeasuredRun> Runs, SpeedReferenceRun Reference) RunRoundsWithReference(IReadOnlyList<(string Model, int Batch, int Processes)> grid,
        int rounds = 5, double windowSeconds = 0.3, int iterationsPerWindow = 4, int warmupPerWindow = 2, CancellationToken cancellation = default)
    {
        var (runs, reference) = Rounds(grid, rounds, windowSeconds, iterationsPerWindow, warmupPerWindow, speedReference: true, cancellation);
        return (runs, reference!);
    }

    private (IReadOnlyList<MeasuredRun> Runs, SpeedReferenceRun? Reference) Rounds(IReadOnlyList<(string Model, int Batch, int Processes)> grid, int rounds,
        double windowSeconds, int iterationsPerWindow, int warmupPerWindow, bool speedReference, CancellationToken cancellation)
    {
        if (grid.Count == 0) throw new ArgumentException("grid: expected at least one configuration");
        foreach (var (model, batch, processes) in grid) CheckConfiguration(model, batch, processes);
        if (grid.Distinct().Count() != grid.Count) throw new ArgumentException("grid: a configuration is listed twice");
        if (rounds < 1 || rounds > 1000) throw new ArgumentException($"rounds: expected 1 to 1000, got {rounds}");
        if (!(windowSeconds >= 0) || windowSeconds > 3600) throw new ArgumentException($"windowSeconds: expected 0 to 3600, got {windowSeconds}");
        if (iterationsPerWindow < 1) throw new ArgumentException($"iterationsPerWindow: expected at least 1, got {iterationsPerWindow}");
        if (warmupPerWindow < 0) throw new ArgumentException($"warmupPerWindow: expected 0 or more, got {warmupPerWindow}");
        string[] options =
        [
            "--configs", string.Join(",", grid.Select(c => $"{c.Model}:{Invariant(c.Batch)}:{Invariant(c.Processes)}")),
            "--rounds", Invariant(rounds), "--window", windowSeconds.ToString("R", CultureInfo.InvariantCulture),
            "--iters", Invariant(iterationsPerWindow), "--warmup", Invariant(warmupPerWindow),
            .. speedReference ? ["--reference"] : Array.Empty<string>(),
        ];
        var steps = RunProfiler("ddp-rounds", "the DDP runs", cancellation, options);
        SpeedReferenceRun? reference = null;
        if (speedReference)
        {
            var units = steps.Where(s => s.Model == SpeedReferenceMeasurement.StepLogModel).ToList();
            int referenceWindows = units.Select(s => s.Window).Distinct().Count();
            if (referenceWindows != rounds)
                throw new InvalidOperationException($"the DDP runs reported the speed reference in {referenceWindows} windows, expected {rounds}");
            reference = new SpeedReferenceRun(units);
        }
        var runs = grid.Select(c =>
        {
            var mine = steps.Where(s => s.Model == c.Model && s.Batch == c.Batch && s.WorldSize == c.Processes).ToList();
            int windows = mine.Select(s => s.Window).Distinct().Count();
            if (windows != rounds || mine.Count < rounds * iterationsPerWindow)
                throw new InvalidOperationException($"the DDP runs reported {mine.Count} steps in {windows} windows for {c.Model} batch {c.Batch} x{c.Processes}, " +
                                                    $"expected at least {iterationsPerWindow} in each of {rounds}");
            return new MeasuredRun(c.Model, c.Batch, c.Processes, mine);
        }).ToList();
        return (runs, reference);
    }

    private static void CheckConfiguration(string model, int batch, int processes)
    {
        if (Array.IndexOf(Models, model) < 0) throw new ArgumentException($"model: expected one of {string.Join(", ", Models)}, got '{model}'");
        if (batch < 1) throw new ArgumentException($"batch: expected at least 1, got {batch}");
        if (processes < 1) throw new ArgumentException($"processes: expected at least 1, got {processes}");
    }

    /// <summary>Runs sim_profile.py's <paramref name="command"/> with the Python that imports torch and parses the step log it
    /// prints; a timeout or a failing exit is an exception naming <paramref name="what"/> (and the script's last stderr lines).</summary>
    private IReadOnlyList<StepTimeRecord> RunProfiler(string command, string what, CancellationToken cancellation, params string[] options)
    {
        var python = PythonTorch.Locate();
        var result = ProcessRunner.Run(python.Interpreter, [ProfilerScript.Path, command, .. options], _timeout, cancellation: cancellation);
        if (result.TimedOut) throw new TimeoutException($"{what} did not finish within {_timeout.TotalSeconds:F0} s");
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"{what} failed (exit code {result.ExitCode}):\n{PyTorchProfilerBackend.Tail(result.StandardError)}");
        return StepTimeLogReader.Parse(new StringReader(result.StandardOutput), $"sim_profile.py {command} output");
    }

    private static string Invariant(int v) => v.ToString(CultureInfo.InvariantCulture);
}
