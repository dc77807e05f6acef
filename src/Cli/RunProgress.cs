using Spectre.Console;

namespace Sim.Cli;

/// <summary>
/// Progress of a multi-replication run, like a kettle's whistle: on an interactive terminal a
/// Spectre.Console progress bar, in logs and pipes one plain line per finished replication. Reports
/// are synchronous (no thread hop), so lines never interleave with the summary printed after.
/// </summary>
public static class RunProgress
{
    public static T Track<T>(string title, int total, TextWriter log, Func<IProgress<int>, T> work)
    {
        if (total > 1 && AnsiConsole.Profile.Capabilities.Interactive && !Console.IsErrorRedirected && !Console.IsOutputRedirected)
        {
            T result = default!;
            AnsiConsole.Progress().AutoClear(true).Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(title, maxValue: total);
                    result = work(new Inline(r => task.Value = r));
                });
            return result;
        }
        return work(new Inline(r => log.WriteLine($"  replication {r}/{total} done")));
    }

    private sealed class Inline(Action<int> report) : IProgress<int>
    {
        public void Report(int value) => report(value);
    }
}
