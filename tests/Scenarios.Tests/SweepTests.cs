using FsCheck;
using FsCheck.Fluent;
using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Tests.Fixtures;

namespace Sim.Scenarios.Tests;

public sealed class SweepTests
{
    private const string Base = "name: q\nqueue:\n  arrival_rate: 0.5\n  service_rate: 1\ncustomers: 500\n";

    private static SweepPlan Plan(string sweepText, string fileName = "sweep.yaml") =>
        SweepPlan.Create(SweepSpec.Parse("scenario:\n  name: q\n  queue: {arrival_rate: 0.5, service_rate: 1}\n  customers: 500\n" + sweepText, fileName), DemoSchema.Schema);

    [Fact]
    public void Grid_expands_to_the_cartesian_product_first_key_slowest_then_list_points()
    {
        var plan = Plan("grid:\n  queue.arrival_rate: [0.1, 0.2, 0.3]\n  queue.service_rate: [1, 2]\nlist:\n  - {queue.arrival_rate: 0.9, customers: 10}\nreplications: 2\n");
        Assert.Equal(7, plan.Points.Count);
        Assert.Equal(14, plan.Runs.Count);
        Assert.Equal(["queue.arrival_rate", "queue.service_rate", "customers"], plan.ParameterKeys);
        var pairs = plan.Points.Take(6).Select(p => (p.Scenario.GetDouble("queue.arrival_rate"), p.Scenario.GetDouble("queue.service_rate")));
        Assert.Equal([(0.1, 1.0), (0.1, 2.0), (0.2, 1.0), (0.2, 2.0), (0.3, 1.0), (0.3, 2.0)], pairs);
        Assert.Equal(10, plan.Points[6].Scenario.GetInt("customers"));
        Assert.Equal(1.0, plan.Points[6].Scenario.GetDouble("queue.service_rate")); // base value kept
        Assert.Equal(plan.Runs.Count, plan.Runs.Select(r => r.Seed).Distinct().Count());
    }

    [Fact]
    public void Point_ids_depend_on_overrides_not_on_their_order_or_on_other_points()
    {
        var a = Plan("grid:\n  queue.arrival_rate: [0.1, 0.2]\n  customers: [10, 20]\n");
        var b = Plan("grid:\n  customers: [20, 10, 30]\n  queue.arrival_rate: [0.2, 0.1]\n");
        Assert.Subset(b.Points.Select(p => p.Id).ToHashSet(), a.Points.Select(p => p.Id).ToHashSet());
        var seedsA = a.Runs.ToDictionary(r => r.Id, r => r.Seed);
        foreach (var run in b.Runs.Where(r => seedsA.ContainsKey(r.Id)))
            Assert.Equal(seedsA[run.Id], run.Seed);
        Assert.NotEqual(a.Fingerprint, b.Fingerprint);
        Assert.Equal(a.Fingerprint, Plan("grid:\n  queue.arrival_rate: [0.1, 0.2]\n  customers: [10, 20]\n").Fingerprint);
    }

    [Fact]
    public void Shards_are_disjoint_and_cover_every_run() =>
        Prop.ForAll(Gen.Choose(1, 50).ToArbitrary(), Gen.Choose(1, 12).ToArbitrary(), (runs, shards) =>
        {
            var owners = Enumerable.Range(0, runs).Select(r => Enumerable.Range(0, shards).Count(s => new ShardSpec(s, shards).Contains(r)));
            var sizes = Enumerable.Range(0, shards).Select(s => Enumerable.Range(0, runs).Count(r => new ShardSpec(s, shards).Contains(r))).ToList();
            return owners.All(o => o == 1) && sizes.Max() - sizes.Min() <= 1;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Local_run_matches_the_MM1_formula_and_does_not_depend_on_thread_count()
    {
        using var folder = new TempFolder();
        string sweep = folder.File("sweep.yaml", "base: base.yaml\ngrid:\n  queue.arrival_rate: [0.1, 0.5, 0.8]\n  queue.service_rate: [1, 2]\nreplications: 2\n");
        folder.File("base.yaml", Base);
        var plan = SweepPlan.Create(SweepSpec.Load(sweep), DemoSchema.Schema);
        var runner = new SweepRunner(new MM1Evaluator());
        runner.Run(plan, folder.Combine("one"), ShardSpec.All, jobs: 1);
        runner.Run(plan, folder.Combine("two"), ShardSpec.All, jobs: 2);
        SweepMerger.Merge([folder.Combine("one")], folder.Combine("one.csv"));
        SweepMerger.Merge([folder.Combine("two")], folder.Combine("two.csv"));
        Assert.Equal(File.ReadAllBytes(folder.Combine("one.csv")), File.ReadAllBytes(folder.Combine("two.csv")));

        var rows = Csv.Read(folder.Combine("one.csv"));
        Assert.Equal(12, rows.Count);
        foreach (var row in rows)
        {
            double lambda = double.Parse(row["queue.arrival_rate"], System.Globalization.CultureInfo.InvariantCulture);
            double mu = double.Parse(row["queue.service_rate"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(1 / (mu - lambda), double.Parse(row["mean_response_analytic"], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(lambda / mu, double.Parse(row["utilisation"], System.Globalization.CultureInfo.InvariantCulture));
        }
        // Replications differ (own seeds) but agree with the formula within Monte Carlo error at low load.
        var light = rows.Where(r => r["queue.arrival_rate"] == "0.1" && r["queue.service_rate"] == "2").ToList();
        Assert.NotEqual(light[0]["mean_response_simulated"], light[1]["mean_response_simulated"]);
        foreach (var row in light)
            Assert.InRange(double.Parse(row["mean_response_simulated"], System.Globalization.CultureInfo.InvariantCulture), 1 / 1.9 * 0.85, 1 / 1.9 * 1.15);
    }

    [Fact]
    public void Cancelling_at_a_random_point_and_restarting_loses_and_repeats_nothing()
    {
        using var folder = new TempFolder();
        folder.File("base.yaml", Base);
        string sweep = folder.File("sweep.yaml", "base: base.yaml\ngrid:\n  queue.arrival_rate: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]\n  customers: [100, 200, 300]\nreplications: 2\n");
        var plan = SweepPlan.Create(SweepSpec.Load(sweep), DemoSchema.Schema);
        var runner = new SweepRunner(new MM1Evaluator());
        runner.Run(plan, folder.Combine("reference"), ShardSpec.All, jobs: 2);
        SweepMerger.Merge([folder.Combine("reference")], folder.Combine("reference.csv"));

        int stopAfter = new Random(Environment.TickCount).Next(1, plan.Runs.Count - 1);
        using var cancel = new CancellationTokenSource();
        int finished = 0;
        Assert.ThrowsAny<OperationCanceledException>(() => runner.Run(plan, folder.Combine("resumed"), ShardSpec.All, jobs: 2, cancel.Token,
            _ => { if (Interlocked.Increment(ref finished) == stopAfter) cancel.Cancel(); }));
        var store = new SweepResultStore(folder.Combine("resumed"));
        var kept = Directory.GetFiles(store.RunsDirectory).ToDictionary(f => f, File.ReadAllBytes);
        Assert.InRange(kept.Count, stopAfter, plan.Runs.Count - 1);
        Assert.Throws<SweepException>(() => SweepMerger.Merge([folder.Combine("resumed")], folder.Combine("resumed.csv")));

        var summary = runner.Run(plan, folder.Combine("resumed"), ShardSpec.All, jobs: 2);
        Assert.Equal(kept.Count, summary.Skipped);
        Assert.Equal(plan.Runs.Count - kept.Count, summary.Completed);
        foreach (var (file, bytes) in kept) Assert.Equal(bytes, File.ReadAllBytes(file)); // finished runs not redone
        SweepMerger.Merge([folder.Combine("resumed")], folder.Combine("resumed.csv"));
        Assert.Equal(File.ReadAllBytes(folder.Combine("reference.csv")), File.ReadAllBytes(folder.Combine("resumed.csv")));
    }

    [Fact]
    public void Merge_names_missing_points_and_duplicated_runs()
    {
        using var folder = new TempFolder();
        folder.File("base.yaml", Base);
        string sweep = folder.File("sweep.yaml", "base: base.yaml\ngrid:\n  queue.arrival_rate: [0.1, 0.2, 0.3, 0.4]\n");
        var plan = SweepPlan.Create(SweepSpec.Load(sweep), DemoSchema.Schema);
        var runner = new SweepRunner(new MM1Evaluator());
        runner.Run(plan, folder.Combine("a"), new ShardSpec(0, 2), jobs: 1);
        runner.Run(plan, folder.Combine("b"), new ShardSpec(1, 2), jobs: 1);

        var missing = Assert.Throws<SweepException>(() => SweepMerger.Merge([folder.Combine("a")], folder.Combine("x.csv")));
        Assert.Contains("missing 2 of 4 runs", missing.Message);
        Assert.Contains($"{plan.Points[1].Id} (replication 0; queue.arrival_rate=0.2)", missing.Message);
        Assert.Contains($"{plan.Points[3].Id} (replication 0; queue.arrival_rate=0.4)", missing.Message);
        Assert.DoesNotContain(plan.Points[0].Id, missing.Message);
        Assert.False(File.Exists(folder.Combine("x.csv")));

        SweepMerger.Merge([folder.Combine("a"), folder.Combine("b")], folder.Combine("ab.csv"));
        Assert.Equal(4, Csv.Read(folder.Combine("ab.csv")).Count);

        runner.Run(plan, folder.Combine("b"), new ShardSpec(0, 2), jobs: 1); // now b holds shard 0 too
        var duplicate = Assert.Throws<SweepException>(() => SweepMerger.Merge([folder.Combine("a"), folder.Combine("b")], folder.Combine("y.csv")));
        Assert.Contains($"run {plan.Runs[0].Id} is duplicated", duplicate.Message);
        Assert.False(File.Exists(folder.Combine("y.csv")));
    }

    [Fact]
    public void Non_finite_metrics_survive_storage_and_merging()
    {
        using var folder = new TempFolder();
        var plan = Plan("grid:\n  queue.arrival_rate: [0.5, 1, 2]\n"); // rho = 0.5, 1 and 2: the last two are unstable
        new SweepRunner(new MM1Evaluator()).Run(plan, folder.Combine("out"), ShardSpec.All, 1);
        SweepMerger.Merge([folder.Combine("out")], folder.Combine("out.csv"));
        Assert.Equal(["2", "Infinity", "Infinity"], Csv.Read(folder.Combine("out.csv")).Select(r => r["mean_response_analytic"]));
    }

    [Fact]
    public void Sweep_report_plots_replication_means_with_confidence_intervals()
    {
        using var folder = new TempFolder();
        var plan = Plan("grid:\n  queue.service_rate: [1, 2]\n  queue.arrival_rate: [0.1, 0.3, 0.5]\nreplications: 4\n");
        new SweepRunner(new MM1Evaluator()).Run(plan, folder.Combine("out"), ShardSpec.All, 1);
        var results = SweepMerger.Collect([folder.Combine("out")]);
        var model = SweepReport.Build(results, "queue.arrival_rate", ["mean_response_analytic", "mean_response_simulated"]);

        Assert.Equal(2, model.Figures.Count);
        var analytic = model.Figures[0].ToJson()["data"]!.AsArray();
        Assert.Equal(["queue.service_rate=1", "queue.service_rate=2"], analytic.Select(t => (string)t!["name"]!));
        foreach (var (trace, mu) in analytic.Zip(new[] { 1.0, 2.0 }))
        {
            Assert.Equal([0.1, 0.3, 0.5], trace!["x"]!.AsArray().Select(v => (double)v!));
            Assert.Equal(new[] { 0.1, 0.3, 0.5 }.Select(l => 1 / (mu - l)), trace["y"]!.AsArray().Select(v => (double)v!));
            Assert.All(trace["error_y"]!["array"]!.AsArray(), e => Assert.Equal(0.0, (double)e!)); // identical replications
        }
        // Simulated means are the average of the four replications' values, with a Student-t half-width.
        var simulated = model.Figures[1].ToJson()["data"]![1]!;
        var reps = results.Rows.Where(r => r.Entry.Parameters["queue.service_rate"] == "2" && r.Entry.Parameters["queue.arrival_rate"] == "0.3")
            .Select(r => r.Metrics["mean_response_simulated"]).ToList();
        Assert.Equal(4, reps.Count);
        Assert.Equal(reps.Average(), (double)simulated["y"]![1]!, 12);
        double sd = Math.Sqrt(reps.Sum(v => (v - reps.Average()) * (v - reps.Average())) / 3);
        Assert.Equal(3.182446305284263 * sd / 2, (double)simulated["error_y"]!["array"]![1]!, 9); // t(0.975, 3) = 3.18245
        Assert.Equal(6, model.Tables[0].Rows.Count);

        Assert.Throws<ArgumentException>(() => SweepReport.Build(results, "queue.discipline", null));
        Assert.Throws<ArgumentException>(() => SweepReport.Build(results, "queue.arrival_rate", ["throughput"]));
    }

    [Fact]
    public void Evaluator_rules_beyond_the_schema_are_checked_for_every_point_before_running()
    {
        using var folder = new TempFolder();
        var mm1 = new MM1Evaluator();
        var stable = new SweepEvaluator(DemoSchema.Schema, (s, seed) => mm1.Evaluate(s, seed, default), s =>
            s.GetDouble("queue.arrival_rate") < s.GetDouble("queue.service_rate") ? []
                : [s.Section.ErrorAt("queue.arrival_rate", "expected less than queue.service_rate (an unstable queue never settles)")]);
        var spec = SweepSpec.Parse("scenario:\n  name: q\n  queue: {arrival_rate: 0.5, service_rate: 1}\ngrid:\n  queue.arrival_rate: [0.5, 1.5]\n", folder.Combine("s.yaml"));
        var e = Assert.Throws<Sim.Scenarios.Yaml.ScenarioException>(() => SweepPlan.Create(spec, stable));
        Assert.Equal($"{folder.Combine("s.yaml")}:5:29: queue.arrival_rate: expected less than queue.service_rate (an unstable queue never settles)", Assert.Single(e.Errors).ToString());
    }

    [Fact]
    public void A_failing_run_is_named_and_finished_runs_are_kept()
    {
        using var folder = new TempFolder();
        var mm1 = new MM1Evaluator();
        var flaky = new SweepEvaluator(DemoSchema.Schema, (s, seed) =>
            s.GetInt("customers") == 30 ? throw new InvalidOperationException("model blew up") : mm1.Evaluate(s, seed, default));
        var plan = Plan("grid:\n  customers: [10, 20, 30, 40]\n");
        var e = Assert.Throws<SweepException>(() => new SweepRunner(flaky).Run(plan, folder.Combine("out"), ShardSpec.All, jobs: 1));
        Assert.Equal($"run {plan.Points[2].Id}-r0 (customers=30, seed {plan.Runs[2].Seed}) failed: model blew up", e.Message);
        Assert.Equal(2, Directory.GetFiles(new SweepResultStore(folder.Combine("out")).RunsDirectory).Length);
    }

    [Fact]
    public void A_results_folder_refuses_another_sweep()
    {
        using var folder = new TempFolder();
        var runner = new SweepRunner(new MM1Evaluator());
        runner.Run(Plan("grid:\n  customers: [10, 20]\n"), folder.Combine("out"), ShardSpec.All, 1);
        var e = Assert.Throws<SweepException>(() => runner.Run(Plan("grid:\n  customers: [10, 30]\n"), folder.Combine("out"), ShardSpec.All, 1));
        Assert.Contains("holds results of another sweep", e.Message);
    }

    [Fact]
    public void Slurm_script_runs_one_shard_per_array_task()
    {
        using var folder = new TempFolder();
        var submitter = new SlurmSubmitter(new SlurmOptions { SimCommand = ["dotnet", "/opt/sim it's/sim.dll"], Partition = "gpu", CpusPerTask = 4, TimeLimit = "01:00:00" });
        string script = File.ReadAllText(submitter.WriteScript("sweep.yaml", 8, folder.Path, "sim-demo"));
        Assert.Contains("#SBATCH --array=0-7\n", script);
        Assert.Contains("#SBATCH --partition=gpu\n", script);
        Assert.Contains("#SBATCH --cpus-per-task=4\n", script);
        Assert.Contains($"#SBATCH --output={folder.Path}/slurm/shard-%a.log\n", script);
        Assert.Contains($"exec 'dotnet' '/opt/sim it'\\''s/sim.dll' sweep run '{Path.GetFullPath("sweep.yaml")}' --shard \"${{SLURM_ARRAY_TASK_ID}}/8\" --out '{folder.Path}' --jobs 4\n", script);
    }
}
