using System.CommandLine;
using Sim.Models.Cluster;
using Sim.Reports;
using Sim.Scenarios.Cluster;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim cluster run CLUSTER.yaml</c>: a stream of training jobs on a shared cluster under a
/// scheduler; <c>sim cluster policies</c>: the registered schedulers. The scenario (and any trace it
/// names) is fully validated before anything runs, so bad input writes nothing.
/// </summary>
public static class ClusterCommand
{
    public static Command Create()
    {
        var cluster = new Command("cluster", "Shared GPU clusters: job streams, schedulers, placement, network contention");

        var file = new Argument<FileInfo>("CLUSTER") { Description = "Cluster scenario file (YAML, docs/cluster-scenario-schema.md)." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results folder (default: results/NAME)." };
        var quiet = new Option<bool>("--quiet") { Description = "Print only the results folder." };
        var seed = new Option<ulong?>("--seed") { Description = "Override the scenario's seed." };
        var run = new Command("run", "Simulate a cluster scenario; write jobs.csv, series.csv, summary.json and report.html.");
        run.Arguments.Add(file);
        run.Options.Add(output);
        run.Options.Add(quiet);
        run.Options.Add(seed);
        run.SetAction(parse => CommandGuard.Run(parse, () =>
        {
            var path = parse.GetValue(file)!;
            if (!path.Exists) throw new FileNotFoundException($"{path.FullName}: file not found");
            var scenario = ClusterScenario.Load(path.FullName);
            if (parse.GetValue(seed) is ulong s) scenario = scenario with { Seed = s };
            string dir = parse.GetValue(output)?.FullName ?? Path.Combine("results", scenario.Name);
            var stdout = parse.InvocationConfiguration.Output;
            bool loud = !parse.GetValue(quiet);
            if (loud) stdout.WriteLine($"simulating {scenario.Name} ({scenario.Source}): {scenario.ClusterDescription}; {scenario.JobsDescription}; scheduler {scenario.Policy}, {scenario.Replications} replication(s)");
            if (loud) RunProgress.Track($"simulating {scenario.Name}", scenario.Replications, parse.InvocationConfiguration.Error, p => ClusterResults.RunAndWrite(scenario, dir, p));
            else ClusterResults.RunAndWrite(scenario, dir);
            if (loud)
            {
                var summary = SummaryJsonReader.Read(Path.Combine(dir, "summary.json"));
                var rows = summary.Metrics.Select(kv => (IReadOnlyList<object?>)new object?[] { kv.Key, kv.Value }).ToList();
                stdout.WriteLine(TerminalTable.ToPlainText(new ReportTable(summary.Title, ["metric", "value"], rows)));
            }
            stdout.WriteLine($"results: {Path.GetFullPath(dir)}");
            return ExitCodes.Success;
        }));
        cluster.Subcommands.Add(run);

        var policies = new Command("policies", "List the registered scheduling policies.");
        policies.SetAction(parse =>
        {
            foreach (var e in SchedulerRegistry.All) parse.InvocationConfiguration.Output.WriteLine($"{e.Name,-10} {e.Description}");
            return ExitCodes.Success;
        });
        cluster.Subcommands.Add(policies);
        return cluster;
    }
}
