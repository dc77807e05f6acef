using System.CommandLine;
using System.Diagnostics;
using Sim.Reports;
using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Yaml;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim sweep run|slurm|merge</c>: runs a parameter sweep on local cores, on a Slurm cluster as a
/// job array, or merges finished shards, like a lab's sample queue that can be worked by one bench
/// or many. What each point measures comes from the <see cref="ISweepEvaluator"/> the caller supplies.
/// </summary>
public static class SweepCommand
{
    /// <param name="evaluator">Runs one scenario with a seed and returns its metrics.</param>
    /// <param name="selfCommand">
    /// How a Slurm task starts this program; null means this process's own executable
    /// (<c>dotnet sim.dll</c> or the <c>sim</c> apphost).
    /// </param>
    public static Command Create(ISweepEvaluator evaluator, IReadOnlyList<string>? selfCommand = null)
    {
        var sweep = new Command("sweep", "Run a parameter sweep locally, on Slurm, or merge its shards.");
        sweep.Subcommands.Add(CreateRun(evaluator));
        sweep.Subcommands.Add(CreateSlurm(evaluator, selfCommand));
        sweep.Subcommands.Add(CreateMerge());
        sweep.Subcommands.Add(CreateReport());
        return sweep;
    }

    private static Command CreateRun(ISweepEvaluator evaluator)
    {
        var file = new Argument<FileInfo>("SWEEP") { Description = "Sweep file (YAML)." };
        var shard = new Option<string>("--shard") { Description = "Run only slice i of n (0-based), e.g. 2/8.", DefaultValueFactory = _ => "0/1" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results folder (default results/SWEEP_NAME)." };
        var jobs = new Option<int>("--jobs") { Description = "Parallel runs (default: all cores).", DefaultValueFactory = _ => Environment.ProcessorCount };
        var command = new Command("run", "Run a sweep (or one shard of it); finished runs are kept, so rerunning resumes.");
        command.Arguments.Add(file);
        command.Options.Add(shard);
        command.Options.Add(output);
        command.Options.Add(jobs);
        command.SetAction((parse, cancellation) => Task.FromResult(CommandGuard.Run(parse, () =>
        {
            var slice = ShardSpec.TryParse(parse.GetValue(shard)!, out var problem) ?? throw new UsageException($"--shard: {problem}");
            int parallel = parse.GetValue(jobs);
            if (parallel < 1) throw new UsageException($"--jobs: expected a whole number >= 1, got {parallel}");
            var spec = SweepSpec.Load(parse.GetValue(file)!.FullName);
            var pointEvaluator = evaluator.For(spec);
            var plan = SweepPlan.Create(spec, pointEvaluator);
            string dir = parse.GetValue(output)?.FullName ?? Path.Combine("results", plan.Spec.Name);
            var clock = Stopwatch.StartNew();
            int inShard = plan.Runs.Count(r => slice.Contains(r.Index)), finished = 0;
            var stderr = parse.InvocationConfiguration.Error;
            var gate = new object();
            var summary = new SweepRunner(pointEvaluator).Run(plan, dir, slice, parallel, cancellation, run =>
            {
                lock (gate) stderr.WriteLine($"  finished {++finished} (of at most {inShard}): run {run.Id}, {run.Point.Describe()}, seed {run.Seed}");
            });
            var stdout = parse.InvocationConfiguration.Output;
            stdout.WriteLine($"sweep {plan.Spec.Name} shard {slice}: {summary.RunsInShard} runs, {summary.Skipped} already done, {summary.Completed} run now in {clock.Elapsed.TotalSeconds:0.0} s -> {Path.GetFullPath(dir)}");
            if (slice.Count == 1)
            {
                var merged = SweepMerger.Merge([dir], Path.Combine(dir, "results.csv"));
                stdout.WriteLine($"merged {merged.Runs} runs of {merged.Points} points into {merged.CsvPath}");
            }
            return ExitCodes.Success;
        })));
        return command;
    }

    private static Command CreateSlurm(ISweepEvaluator evaluator, IReadOnlyList<string>? selfCommand)
    {
        var file = new Argument<FileInfo>("SWEEP") { Description = "Sweep file (YAML), on a file system the cluster nodes share." };
        var shards = new Option<int>("--shards") { Description = "Number of array tasks.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Shared results folder.", Required = true };
        var partition = new Option<string?>("--partition") { Description = "Slurm partition (default: the cluster's default)." };
        var cpus = new Option<int>("--cpus-per-task") { Description = "Cores per array task.", DefaultValueFactory = _ => 1 };
        var time = new Option<string?>("--time") { Description = "Time limit per task, e.g. 02:00:00." };
        var poll = new Option<double>("--poll") { Description = "Seconds between squeue polls.", DefaultValueFactory = _ => 10 };
        var command = new Command("slurm", "Submit a sweep as a Slurm job array, wait for it, and merge the shards.");
        command.Arguments.Add(file);
        foreach (var option in new Option[] { shards, output, partition, cpus, time, poll }) command.Options.Add(option);
        command.SetAction((parse, cancellation) => Task.FromResult(CommandGuard.Run(parse, () =>
        {
            int n = parse.GetValue(shards);
            if (n < 1) throw new UsageException($"--shards: expected a whole number >= 1, got {n}");
            int cores = parse.GetValue(cpus);
            if (cores < 1) throw new UsageException($"--cpus-per-task: expected a whole number >= 1, got {cores}");
            double seconds = parse.GetValue(poll);
            if (!(seconds > 0)) throw new UsageException($"--poll: expected seconds > 0, got {seconds}");
            var spec = SweepSpec.Load(parse.GetValue(file)!.FullName);
            var plan = SweepPlan.Create(spec, evaluator.For(spec));
            var submitter = new SlurmSubmitter(new SlurmOptions
            {
                SimCommand = selfCommand ?? SelfCommand(),
                Partition = parse.GetValue(partition),
                CpusPerTask = cores,
                TimeLimit = parse.GetValue(time),
                PollInterval = TimeSpan.FromSeconds(seconds),
            });
            var stdout = parse.InvocationConfiguration.Output;
            var merged = submitter.Run(plan, n, parse.GetValue(output)!.FullName, stdout.WriteLine, cancellation);
            stdout.WriteLine($"merged {merged.Runs} runs of {merged.Points} points into {merged.CsvPath}");
            return ExitCodes.Success;
        })));
        return command;
    }

    private static Command CreateMerge()
    {
        var folders = new Argument<DirectoryInfo[]>("DIR") { Description = "Results folder(s) of one sweep.", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo?>("--output") { Description = "CSV to write (default DIR/results.csv of the first folder)." };
        var command = new Command("merge", "Merge finished runs into one CSV; fails naming any missing or duplicated run.");
        command.Arguments.Add(folders);
        command.Options.Add(output);
        command.SetAction((parse, _) => Task.FromResult(CommandGuard.Run(parse, () =>
        {
            var dirs = parse.GetValue(folders)!.Select(d => d.FullName).ToList();
            string csv = parse.GetValue(output)?.FullName ?? Path.Combine(dirs[0], "results.csv");
            var merged = SweepMerger.Merge(dirs, csv);
            parse.InvocationConfiguration.Output.WriteLine($"merged {merged.Runs} runs of {merged.Points} points, metrics {string.Join(", ", merged.Metrics)} into {merged.CsvPath}");
            return ExitCodes.Success;
        })));
        return command;
    }

    private static Command CreateReport()
    {
        var folders = new Argument<DirectoryInfo[]>("DIR") { Description = "Results folder(s) of one sweep.", Arity = ArgumentArity.OneOrMore };
        var x = new Option<string>("--x") { Description = "Swept key for the x axis, e.g. cluster.nodes.", Required = true };
        var metrics = new Option<string[]>("--metric") { Description = "Metric to plot (repeatable; default: all).", AllowMultipleArgumentsPerToken = true };
        var logX = new Option<bool>("--log-x") { Description = "Logarithmic x axis." };
        var output = new Option<FileInfo?>("--output") { Description = "HTML file to write (default DIR/report.html of the first folder)." };
        var command = new Command("report", "Plot sweep metrics against a swept key (means with confidence intervals) as a self-contained HTML report.");
        command.Arguments.Add(folders);
        foreach (var option in new Option[] { x, metrics, logX, output }) command.Options.Add(option);
        command.SetAction((parse, _) => Task.FromResult(CommandGuard.Run(parse, () =>
        {
            var dirs = parse.GetValue(folders)!.Select(d => d.FullName).ToList();
            string html = parse.GetValue(output)?.FullName ?? Path.Combine(dirs[0], "report.html");
            Sim.Reports.Html.ReportModel model;
            // SweepReport refuses an --x or --metric the sweep does not have, naming what it has.
            try { model = SweepReport.Build(SweepMerger.Collect(dirs), parse.GetValue(x)!, parse.GetValue(metrics), logX: parse.GetValue(logX)); }
            catch (ArgumentException e) { throw new UsageException(e.Message); }
            Sim.Reports.Html.HtmlReport.Write(html, model);
            parse.InvocationConfiguration.Output.WriteLine($"wrote {model.Figures.Count} figure(s) to {html}");
            return ExitCodes.Success;
        })));
        return command;
    }

    /// <summary>Maps input problems to exit code 2 and runtime problems to 1, with one clear message.</summary>
    /// <summary>The command line that starts this same program again (for Slurm tasks).</summary>
    private static IReadOnlyList<string> SelfCommand()
    {
        string process = Environment.ProcessPath ?? "sim";
        string? entry = System.Reflection.Assembly.GetEntryAssembly()?.Location;
        bool viaHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        return viaHost && !string.IsNullOrEmpty(entry) ? [process, entry] : [process];
    }
}
