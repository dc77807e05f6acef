using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Yaml;

namespace Sim.Cli.Commands;

/// <summary>
/// The one place where a command's failures become exit codes, in two kinds. Bad input - a scenario
/// or data file, an option value - prints its located message and exits 2. Everything else is sim's
/// own fault: one line saying it is a bug and where the details (the exception with its stack) were
/// logged, exit 1. Environment failures in between (a profiler or Slurm that is missing, a disk that
/// refuses a write, a cancelled sweep) exit 1 with their message. Nothing escapes as a stack trace on the terminal.
/// </summary>
public static class CommandGuard
{
    /// <summary>Runs <paramref name="action"/>, reporting failures on the command's error writer.</summary>
    public static int Run(System.CommandLine.ParseResult parse, Func<int> action) => Run(parse.InvocationConfiguration.Error, action);

    /// <summary>Runs <paramref name="action"/>, reporting failures on <paramref name="stderr"/>.</summary>
    public static int Run(TextWriter stderr, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (ScenarioException e)
        {
            stderr.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (IsBadInput(e))
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is Sim.Calibration.Profiling.ProfilerUnavailableException or SweepException or IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("cancelled; finished runs are kept, rerun the same command to resume");
            return ExitCodes.Failure;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"internal error (a bug in sim, please report it): {e.GetType().Name}: {FirstLine(e.Message)}; details in {InternalErrorLog.Write(e)}");
            return ExitCodes.Failure;
        }
    }

    /// <summary>The exceptions that describe the user's input: located scenario errors, option values,
    /// unreadable or missing files, hardware specs and trace files. A plain ArgumentException is not
    /// among them: thrown inside the simulator it means a bug, not bad input.</summary>
    public static bool IsBadInput(Exception e) =>
        e is ScenarioException or UsageException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
            or Sim.Models.Hardware.SpecError or Sim.Calibration.Traces.TraceFormatException;

    private static string FirstLine(string text) => text.Split('\n', 2)[0].TrimEnd();
}
