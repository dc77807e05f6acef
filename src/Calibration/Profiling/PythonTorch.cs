namespace Sim.Calibration.Profiling;

/// <summary>
/// Finds a Python interpreter that can import torch, like checking which of the workshop's
/// benches has the right tool mounted. Uses $SIM_PYTHON when set (and nothing else); otherwise
/// /usr/bin/python3 (Debian's python3-torch lives there; the first python3 on PATH may be another
/// interpreter), then python3 on PATH. The result is cached for the life of the process.
/// </summary>
public sealed record PythonTorch(string Interpreter, string TorchVersion, bool CudaAvailable)
{
    private static readonly Lazy<(PythonTorch? found, string report)> Cached = new(Probe);

    /// <summary>The interpreter with torch, or null; <paramref name="report"/> says what was tried.</summary>
    public static PythonTorch? TryLocate(out string report)
    {
        var (found, r) = Cached.Value;
        report = r;
        return found;
    }

    public static PythonTorch Locate() =>
        TryLocate(out var report) ?? throw new ProfilerUnavailableException(
            "no Python interpreter with PyTorch found (" + report + "). Install it with " +
            "`apt-get install -y python3-torch libopenblas0-pthread` or set SIM_PYTHON to an interpreter that can `import torch`.");

    private static (PythonTorch?, string) Probe()
    {
        var tried = new List<string>();
        var candidates = new List<string>();
        string? fromEnv = Environment.GetEnvironmentVariable("SIM_PYTHON");
        if (!string.IsNullOrWhiteSpace(fromEnv)) candidates.Add(fromEnv); // an explicit choice is the only candidate
        else
        {
            candidates.Add("/usr/bin/python3");
            candidates.Add("python3");
        }
        foreach (var candidate in candidates.Distinct())
        {
            if (Path.IsPathRooted(candidate) && !File.Exists(candidate)) { tried.Add($"{candidate}: not found"); continue; }
            try
            {
                var r = ProcessRunner.Run(candidate, ["-c", "import torch; print(torch.__version__); print(torch.cuda.is_available())"], TimeSpan.FromSeconds(120));
                var lines = r.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
                if (r.ExitCode == 0 && lines.Length >= 2)
                    return (new PythonTorch(candidate, lines[0], lines[1] == "True"), string.Join("; ", tried.Append($"{candidate}: torch {lines[0]}")));
                string why = r.TimedOut ? "timed out" : r.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? $"exit code {r.ExitCode}";
                tried.Add($"{candidate}: {why}");
            }
            catch (ProfilerUnavailableException e) { tried.Add($"{candidate}: {e.Message}"); }
        }
        return (null, "tried " + string.Join("; ", tried));
    }
}
