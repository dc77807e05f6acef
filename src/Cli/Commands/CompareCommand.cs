using System.CommandLine;
using Sim.Reports;
using Spectre.Console;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim compare RUN_A RUN_B</c>: what changed between two runs and by how much, like a "track
/// changes" view of two lab reports. Reads each folder's <c>summary.json</c> (or the files given).
/// </summary>
public static class CompareCommand
{
    public static Command Create()
    {
        var before = new Argument<string>("RUN_A") { Description = "Results folder (or summary.json) of the baseline run." };
        var after = new Argument<string>("RUN_B") { Description = "Results folder (or summary.json) of the run to compare." };
        var all = new Option<bool>("--all") { Description = "List unchanged metrics too." };
        var command = new Command("compare", "Compare the summaries of two runs.");
        command.Arguments.Add(before);
        command.Arguments.Add(after);
        command.Options.Add(all);
        command.SetAction((parse, _) => Task.FromResult(CommandGuard.Run(parse, () =>
        {
            var a = SummaryJsonReader.Read(parse.GetValue(before)!);
            var b = SummaryJsonReader.Read(parse.GetValue(after)!);
            var result = RunComparison.Compare(a, b);
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine($"A: {a.Title}");
            output.WriteLine($"B: {b.Title}");
            foreach (var change in result.Info)
                output.WriteLine($"  {change.Name}: {change.Before ?? "(absent)"} -> {change.After ?? "(absent)"}");
            var table = RunComparison.ToTable(result, changedOnly: !parse.GetValue(all));
            if (table.Rows.Count == 0) output.WriteLine("no metric changed");
            else output.Write(TerminalTable.ToPlainText(table, ConsoleWidth()));
            return ExitCodes.Success;
        })));
        return command;
    }

    private static int ConsoleWidth() => Console.IsOutputRedirected ? 120 : Math.Max(80, AnsiConsole.Profile.Width);
}
