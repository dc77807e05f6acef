using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Yaml;

namespace Sim.Cli.Commands;

/// <summary>
/// The one place where a command's failures become exit codes, like a circuit breaker: bad input
/// (a scenario, a file, an argument) prints its message and exits 2, a failed sweep exits 1, and
/// nothing escapes as a stack trace. Any other exception is an internal fault: exit 1, named as a bug.
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
                                       or Sim.Models.Hardware.SpecError or Sim.Calibration.Traces.TraceFormatException
                                       or Sim.Models.Federated.TraceFormatException)
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
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The file system refused: an --out that is a file, a read-only or immutable folder, /sys,
            // a full disk. Results are written into a fresh folder and swapped in whole, so nothing
            // half-written is left behind; the message names the path.
            stderr.WriteLine($"error: {e.Message}");
            return ExitCodes.BadInput;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Anything else is a bug in sim, not the user's fault: say so, without a stack trace
            // (set SIM_DEBUG=1 to see one).
            stderr.WriteLine($"internal error (a bug in sim; please report it with the input that caused it): {e.GetType().Name}: {e.Message}");
            if (Environment.GetEnvironmentVariable("SIM_DEBUG") == "1") stderr.WriteLine(e);
            return ExitCodes.Failure;
        }
    }
}
