namespace Sim.Cli.Commands;

/// <summary>Where an internal error's details go: a log file in the temporary folder, so the terminal
/// gets one line and a bug report gets the whole exception.</summary>
public static class InternalErrorLog
{
    /// <summary>Writes <paramref name="error"/> (type, message, stack, inner exceptions) and the command
    /// line to a new file; returns its path, or a note if even that failed.</summary>
    public static string Write(Exception error)
    {
        try
        {
            string path = Path.Combine(Path.GetTempPath(), $"sim-internal-error-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}-{Guid.NewGuid():N}.log");
            File.WriteAllText(path, $"sim {typeof(InternalErrorLog).Assembly.GetName().Version}\ncommand line: {Environment.CommandLine}\n\n{error}\n");
            return path;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(no log: {e.Message})";
        }
    }
}
