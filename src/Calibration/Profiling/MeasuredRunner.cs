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
        if (Array.IndexOf(Models, model) < 0) throw new ArgumentException($"model: expected one of {string.Join(", ", Models)}, got '{model}'");
        if (batch < 1) throw new ArgumentException($"batch: expected at least 1, got {batch}");
        if (processes < 1) throw new ArgumentException($"processes: expected at least 1, got {processes}");
        if (iterations < 1) throw new ArgumentException($"iterations: expected at least 1, got {iterations}");
        if (warmup < 0) throw new ArgumentException($"warmup: expected 0 or more, got {warmup}");
        if (!(minWindowSeconds >= 0) || minWindowSeconds > 3600) throw new ArgumentException($"minWindowSeconds: expected 0 to 3600, got {minWindowSeconds}");
        var python = PythonTorch.Locate();
        string[] args =
        [
            ProfilerScript.Path, "ddp", "--model", model, "--batch", Invariant(batch), "--procs", Invariant(processes),
            "--iters", Invariant(iterations), "--warmup", Invariant(warmup), "--min-window", minWindowSeconds.ToString("R", CultureInfo.InvariantCulture),
        ];
        var result = ProcessRunner.Run(python.Interpreter, args, _timeout, cancellation: cancellation);
        if (result.TimedOut) throw new TimeoutException($"the DDP run did not finish within {_timeout.TotalSeconds:F0} s");
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"the DDP run failed (exit code {result.ExitCode}):\n{PyTorchProfilerBackend.Tail(result.StandardError)}");
        var steps = StepTimeLogReader.Parse(new StringReader(result.StandardOutput), "sim_profile.py ddp output");
        if (steps.Count < iterations)
            throw new InvalidOperationException($"the DDP run reported {steps.Count} iterations, expected at least {iterations}");
        return new MeasuredRun(model, batch, processes, steps);
    }

    private static string Invariant(int v) => v.ToString(CultureInfo.InvariantCulture);
}
