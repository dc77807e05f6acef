using System.Diagnostics;
using System.Text;

namespace Sim.Calibration.Profiling;

/// <summary>
/// Runs an external program and collects what it printed, like a foreman who hands out a job,
/// keeps its notes and calls it off when it overruns: output is captured up to a cap so a chatty
/// child cannot fill memory, and a child that overruns its time limit is killed with its children.
/// </summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError, bool TimedOut);

public static class ProcessRunner
{
    public const int MaxCapturedChars = 8 << 20;

    public static ProcessResult Run(string fileName, IEnumerable<string> arguments, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellation = default)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in arguments) info.ArgumentList.Add(a);
        if (environment is not null)
            foreach (var (k, v) in environment) info.Environment[k] = v;

        using var process = new Process { StartInfo = info };
        var stdout = new BoundedText();
        var stderr = new BoundedText();
        process.OutputDataReceived += (_, e) => stdout.AppendLine(e.Data);
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        try { process.Start(); }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ProfilerUnavailableException($"cannot start '{fileName}': {e.Message}");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bool finished;
        using (cancellation.Register(() => { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }))
            finished = process.WaitForExit(timeout);
        if (!finished)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            process.WaitForExit();
        }
        else process.WaitForExit(); // drains the asynchronous readers
        cancellation.ThrowIfCancellationRequested();
        return new ProcessResult(finished ? process.ExitCode : -1, stdout.ToString(), stderr.ToString(), !finished);
    }

    private sealed class BoundedText
    {
        private readonly StringBuilder _text = new();
        private bool _truncated;

        public void AppendLine(string? line)
        {
            if (line is null) return;
            lock (_text)
            {
                if (_text.Length + line.Length + 1 > MaxCapturedChars) { _truncated = true; return; }
                _text.Append(line).Append('\n');
            }
        }

        public override string ToString()
        {
            lock (_text) return _truncated ? _text + "[output truncated]\n" : _text.ToString();
        }
    }
}
