using Sim.Calibration.Profiling;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// Runs a command-line tool (sbatch, squeue) and collects what it printed: exit code, standard output
/// and standard error. The running itself is <see cref="ProcessRunner"/>'s (bounded capture, the whole
/// process tree killed on overrun); here a tool that is not installed or overruns its time limit
/// becomes a clear <see cref="SweepException"/>.
/// </summary>
public static class ExternalProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    /// <summary>Runs <paramref name="program"/>; <paramref name="timeout"/> defaults to 2 minutes.</summary>
    public static Result Run(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromMinutes(2);
        var args = arguments.ToList();
        ProcessResult result;
        try { result = ProcessRunner.Run(program, args, limit, environment); }
        catch (ProfilerUnavailableException e) { throw new SweepException($"could not run '{program}' (is it installed and on PATH?): {e.Message}"); }
        if (result.TimedOut) throw new SweepException($"'{program} {string.Join(' ', args)}' did not finish within {limit.TotalSeconds} s");
        return new Result(result.ExitCode, result.StandardOutput, result.StandardError);
    }
}
