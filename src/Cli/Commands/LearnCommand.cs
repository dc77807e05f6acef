using System.CommandLine;
using Sim.Learning;
using Sim.Learning.Scenario;
using Sim.Reports;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim learn SCENARIO.yaml</c>: training in the loop. Runs every strategy of the scenario for each
/// replication seed with real gradients (TorchSharp or plain C#), prints time-to-target with 95%
/// intervals, and writes strategies.csv, curves.csv and summary.json. Also <c>sim bench learning</c>.
/// </summary>
public static class LearnCommand
{
    /// <summary>Batches at which `sim bench learning` times one real gradient.</summary>
    private static readonly int[] StepBatches = [8, 32, 128, 512, 2048];

    public static Command Create()
    {
        var file = new Argument<FileInfo>("SCENARIO") { Description = "Training-in-the-loop scenario (YAML; see docs/time-to-accuracy.md)." };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results folder (default: results/NAME)." };
        var seed = new Option<ulong?>("--seed") { Description = "Override the scenario's seed." };
        var command = new Command("learn", "Train a real small model in the loop under each strategy of a scenario; report time to target.");
        command.Arguments.Add(file);
        command.Options.Add(output);
        command.Options.Add(seed);
        command.SetAction(parse => CommandGuard.Run(parse, () =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            try
            {
                var scenario = LearningScenario.Load(parse.GetValue(file)!.FullName);
                if (parse.GetValue(seed) is ulong s) scenario = scenario with { Seed = s };
                string dir = parse.GetValue(output)?.FullName ?? Path.Combine("results", scenario.Name);
                stdout.WriteLine($"training in the loop: {scenario.Name} ({scenario.Source}): {scenario.Model.Name}, {scenario.Strategies.Count} strategies x {scenario.Replications} seeds");
                var outcome = LearningRunner.Run(scenario);
                LearningRunner.Write(outcome, dir);
                stdout.WriteLine(TerminalTable.ToPlainText(outcome.Table()));
                stdout.WriteLine($"results: {Path.GetFullPath(dir)}");
                return ExitCodes.Success;
            }
            catch (Sim.Torch.TorchUnavailableException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: TorchSharp is unavailable ({e.Message}); use model.kind: softmax to run without it");
                return ExitCodes.Failure;
            }
        }));
        return command;
    }

    /// <summary><c>sim bench learning</c>: asynchronous SGD of a small MLP with many simulated workers.</summary>
    public static Command CreateBench()
    {
        var workers = new Option<int>("--workers") { Description = "Simulated workers", DefaultValueFactory = _ => 1000 };
        var updates = new Option<long>("--updates") { Description = "Asynchronous updates (real TorchSharp gradients)", DefaultValueFactory = _ => 10_000 };
        var runs = new Option<int>("--runs") { Description = "Runs (median reported)", DefaultValueFactory = _ => 3 };
        var command = new Command("learning", "Training in the loop: 1,000 simulated workers x 10,000 asynchronous updates of a small MLP (TorchSharp)");
        command.Options.Add(workers);
        command.Options.Add(updates);
        command.Options.Add(runs);
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            try
            {
                var results = new List<AsyncBenchmark.Result>();
                for (int r = 0; r < Math.Max(1, parse.GetValue(runs)); r++)
                {
                    results.Add(AsyncBenchmark.Run(parse.GetValue(workers), parse.GetValue(updates)));
                    parse.InvocationConfiguration.Error.WriteLine($"run {r + 1}: {results[^1].WallSeconds:F2} s");
                }
                var median = results.OrderBy(x => x.WallSeconds).ElementAt(results.Count / 2);
                var rows = new List<IReadOnlyList<object?>>
                {
                    new object?[] { median.Workers, median.Updates, median.WallSeconds, median.UpdatesPerSecond, median.PeakLiveVersions, median.SnapshotBytes / 1e6, median.MeanStaleness, median.FinalAccuracy, median.PeakWorkingSetBytes / 1e6 },
                };
                stdout.WriteLine(TerminalTable.ToPlainText(new ReportTable($"Async SGD in the loop (median of {results.Count} runs; first run includes torch start-up)",
                    ["workers", "updates", "wall_s", "updates_per_s", "peak_live_versions", "snapshot_MB", "staleness_mean", "final_accuracy", "peak_working_set_MB"], rows)));
                var steps = StepBatches.Select(b => (IReadOnlyList<object?>)new object?[] { b, AsyncBenchmark.StepSeconds(b) * 1e3 }).ToList();
                stdout.WriteLine(TerminalTable.ToPlainText(new ReportTable("One real gradient of the MLP on this machine (median of 200, one torch thread)", ["batch", "ms"], steps)));
                return ExitCodes.Success;
            }
            catch (Sim.Torch.TorchUnavailableException e)
            {
                parse.InvocationConfiguration.Error.WriteLine($"error: TorchSharp is unavailable ({e.Message})");
                return ExitCodes.Failure;
            }
        });
        return command;
    }
}
