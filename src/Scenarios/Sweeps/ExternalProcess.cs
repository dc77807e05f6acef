using System.Diagnostics;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// Runs a command-line tool and collects what it printed, like sending a form to another office and
/// waiting for the stamped reply: exit code, standard output and standard error. Used for sbatch and
/// squeue; a tool that is not installed becomes a clear <see cref="SweepException"/>.
/// </summary>
public static class ExternalProcess
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static Result Run(string program, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        if (environment is not null)
            foreach (var (name, value) in environment) start.Environment[name] = value;
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new SweepException($"could not start {program}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new SweepException($"could not run '{program}': {e.Message} (is it installed and on PATH?)");
        }
        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeout ?? TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new SweepException($"'{program} {string.Join(' ', start.ArgumentList)}' did not finish within {(timeout ?? TimeSpan.FromMinutes(2)).TotalSeconds} s");
            }
            return new Result(process.ExitCode, output.Result, error.Result);
        }
    }
}
