using System.Globalization;

namespace Sim.Calibration.Profiling;

/// <summary>
/// Profiles with real PyTorch by launching the shipped Python script, like hiring a local
/// driver who knows the roads: C# decides what to measure and reads the results, Python runs
/// the kernels.
/// </summary>
public sealed class PyTorchProfilerBackend(TimeSpan? timeout = null) : IProfilerBackend
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromMinutes(10);

    public string Name => "pytorch";

    public bool IsAvailable(out string reason)
    {
        var python = PythonTorch.TryLocate(out reason);
        return python is not null;
    }

    public ProfileResult Profile(ProfileRequest request, CancellationToken cancellation = default)
    {
        request.Validate();
        var python = PythonTorch.Locate();
        if (request.Device == "cuda" && !python.CudaAvailable)
            throw new ProfilerUnavailableException($"device cuda requested but torch {python.TorchVersion} at {python.Interpreter} sees no CUDA device");
        string outDir = Path.GetFullPath(request.OutputDirectory);
        Directory.CreateDirectory(outDir);
        var args = new List<string>
        {
            ProfilerScript.Path, "profile", "--device", request.Device, "--out", outDir,
            "--threads", request.Threads.ToString(CultureInfo.InvariantCulture), "--grid", request.Grid,
            "--repeats", request.Repeats.ToString(CultureInfo.InvariantCulture),
        };
        if (!request.Collectives) args.Add("--no-collectives");
        var result = ProcessRunner.Run(python.Interpreter, args, _timeout, cancellation: cancellation);
        if (result.TimedOut) throw new TimeoutException($"the profiler did not finish within {_timeout.TotalSeconds:F0} s");
        if (result.ExitCode != 0)
            throw new InvalidOperationException($"the profiler failed (exit code {result.ExitCode}):\n{Tail(result.StandardError)}");
        string measurements = Path.Combine(outDir, Fitting.CalibrationFitter.MeasurementsFile);
        if (!File.Exists(measurements)) throw new InvalidOperationException($"the profiler exited without writing {measurements}");
        return new ProfileResult(outDir, measurements,
            Directory.EnumerateFiles(outDir, "trace-*.json").Order(StringComparer.Ordinal).ToList(),
            Directory.EnumerateFiles(outDir, "steps-*.log").Order(StringComparer.Ordinal).ToList(),
            result.StandardOutput);
    }

    internal static string Tail(string text, int lines = 20) =>
        string.Join('\n', text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));
}
