using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Yaml;

namespace Sim.Cli.Commands;

/// <summary>
/// The one place where a command's failures become exit codes, like a circuit breaker: bad input
/// (a scenario, a file, an argument) prints its message and exits 2, a failed sweep exits 1, and
/// nothing escapes as a stack trace.
/// </summary>
public static class CommandGuard
{
    public static int Run(System.CommandLine.ParseResult parse, Func<int> action)
    {
        var stderr = parse.InvocationConfiguration.Error;
        try
        {
            return action();
        }
        catch (ScenarioException e)
        {
            stderr.WriteLine(e.Message);
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException
                                       or Sim.Models.Hardware.SpecError or Sim.Calibration.Traces.TraceFormatException)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Sim.Calibration.Profiling.ProfilerUnavailableException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (SweepException e)
        {
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (OperationCanceledException)
        {
            stderr.WriteLine("cancelled; finished runs are kept, rerun the same command to resume");
            return ExitCodes.Failure;
        }
    }
}
