using System.CommandLine;
using Sim.Reports;
using Sim.Scenarios;
using Sim.Scenarios.Federated;
using Sim.Scenarios.Training;
using Spectre.Console;

namespace Sim.Cli.Commands;

/// <summary><c>sim run [SCENARIO]</c>: validates a scenario, simulates it and writes its results folder.</summary>
public static class RunCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo?>("SCENARIO") { Description = "Scenario file (YAML); omit to run the built-in quick-start.", Arity = ArgumentArity.ZeroOrOne };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results folder (default: results/NAME)." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the results folder." };
        var seed = new Option<ulong?>("--seed") { Description = "Override the scenario's seed." };
        var force = new Option<bool>("--force") { Description = "Run even when the cost estimate is above the budget (8 GiB of memory, 10^10 events)." };
        var command = new Command("run", "Simulate a training scenario and write summary.json, iterations.csv, timeline.json and report.html.");
        command.Arguments.Add(file);
        command.Options.Add(output);
        command.Options.Add(quiet);
        command.Options.Add(seed);
        command.Options.Add(force);
        command.SetAction(parse => CommandGuard.Run(parse, () =>
        {
            var path = parse.GetValue(file);
            var stdoutWriter = parse.InvocationConfiguration.Output;
            if (path is not null && ScenarioKinds.Detect(path.FullName) == ScenarioKind.Federated)
            {
                var fed = FederatedScenario.Load(path.FullName);
                if (parse.GetValue(seed) is ulong fs) fed = fed with { Seed = fs };
                using var fedWatch = MemoryWatchdog.Guard(Sim.Scenarios.Cost.FederatedCostEstimator.Estimate(fed), fed.Source, parse.GetValue(force), !parse.GetValue(quiet), stdoutWriter, parse.InvocationConfiguration.Error);
                return RunFederated(fed, parse.GetValue(output)?.FullName, !parse.GetValue(quiet), stdoutWriter);
            }
            var scenario = path is null ? BuiltinScenarios.QuickStart() : TrainingScenario.Load(path.FullName);
            if (parse.GetValue(seed) is ulong ts) scenario = scenario with { Seed = ts };
            string dir = parse.GetValue(output)?.FullName ?? Path.Combine("results", scenario.Name);
            var stdout = parse.InvocationConfiguration.Output;
            bool loud = !parse.GetValue(quiet);
            if (loud) stdout.WriteLine($"simulating {scenario.Name} ({scenario.Source}): {scenario.Workers} workers, {scenario.Model.Name}, {scenario.Replications} replication(s)");
            var errors = parse.InvocationConfiguration.Error;
            using var watch = MemoryWatchdog.Guard(Sim.Scenarios.Cost.TrainingCostEstimator.Estimate(scenario), scenario.Source, parse.GetValue(force), loud, stdout, errors);
            var outcome = loud
                ? RunProgress.Track($"simulating {scenario.Name}", scenario.Replications, errors, p => ResultsFolder.RunAndWrite(scenario, dir, p))
                : ResultsFolder.RunAndWrite(scenario, dir);
            if (loud) PrintSummary(dir, stdout);
            stdout.WriteLine($"results: {Path.GetFullPath(dir)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    private static int RunFederated(FederatedScenario scenario, string? outDir, bool loud, TextWriter stdout)
    {
        string dir = outDir ?? Path.Combine("results", scenario.Name);
        if (loud) stdout.WriteLine($"simulating {scenario.Name} ({scenario.Source}): {scenario.PopulationDescription}, {scenario.Replications} replication(s)");
        if (loud) RunProgress.Track($"simulating {scenario.Name}", scenario.Replications, Console.Error, p => FederatedResults.RunAndWrite(scenario, dir, p));
        else FederatedResults.RunAndWrite(scenario, dir);
        if (loud) PrintSummary(dir, stdout);
        stdout.WriteLine($"results: {Path.GetFullPath(dir)}");
        return ExitCodes.Success;
    }

    private static void PrintSummary(string dir, TextWriter stdout)
    {
        var summary = SummaryJsonReader.Read(Path.Combine(dir, "summary.json"));
        var rows = summary.Metrics.Select(kv => (IReadOnlyList<object?>)new object?[] { kv.Key, kv.Value }).ToList();
        stdout.WriteLine(TerminalTable.ToPlainText(new ReportTable(summary.Title, ["metric", "value"], rows)));
    }
}
