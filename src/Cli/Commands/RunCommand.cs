using System.CommandLine;
using Sim.Reports;
using Sim.Scenarios;
using Sim.Scenarios.Training;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim run [SCENARIO]</c>: one straight path for every scenario kind. The file is read and validated
/// once (its kind detected from the tree), every replication is simulated into an in-memory
/// <see cref="ScenarioOutcome"/>, the results folder is written from it (summary.json last), and the
/// summary table is printed from it.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("SCENARIO") { Description = "Scenario file (YAML); omit to run the built-in quick-start.", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results folder (default: results/NAME)." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the results folder." };
        var seed = new Option<ulong?>("--seed") { Description = "Override the scenario's seed." };
        var command = new Command("run", "Simulate a training scenario and write summary.json, iterations.csv, timeline.json and report.html.");
        command.Arguments.Add(file);
        command.Options.Add(output);
        command.Options.Add(quiet);
        command.Options.Add(seed);
        command.SetAction(parse => CommandGuard.Run(parse, () =>
        {
            var path = parse.GetValue(file);
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var scenario = path is null ? TrainingKind.Runnable(BuiltinScenarios.QuickStart()) : ScenarioKinds.Load(path.FullName);
            if (parse.GetValue(seed) is ulong s) scenario = scenario.WithSeed(s);
            string dir = parse.GetValue(output)?.FullName ?? Path.Combine("results", scenario.Name);
            bool loud = !parse.GetValue(quiet);
            if (loud) stdout.WriteLine($"simulating {scenario.Name} ({scenario.Source}): {scenario.Headline}, {scenario.Replications} replication(s)");
            var outcome = loud
                ? RunProgress.Track($"simulating {scenario.Name}", scenario.Replications, stderr, p => scenario.Simulate(p))
                : scenario.Simulate();
            ResultsWriter.Write(outcome, dir);
            if (loud) PrintSummary(outcome, stdout);
            stdout.WriteLine($"results: {Path.GetFullPath(dir)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static void PrintSummary(ScenarioOutcome outcome, TextWriter stdout)
    {
        var rows = outcome.Metrics.Select(kv => (IReadOnlyList<object?>)new object?[] { kv.Key, kv.Value }).ToList();
        stdout.WriteLine(TerminalTable.ToPlainText(new ReportTable(outcome.Title, ["metric", "value"], rows)));
    }
}
