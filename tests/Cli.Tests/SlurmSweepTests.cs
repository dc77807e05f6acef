using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Tests.Fixtures;

namespace Sim.Cli.Tests;

/// <summary>
/// A sweep sent to a real Slurm cluster as a job array of four shards, each array task a separate
/// process running the real <c>sweep run --shard i/4</c> command, merges into exactly the CSV that a
/// local run of the same sweep produces.
/// </summary>
public sealed class SlurmSweepTests
{
    [SlurmFact]
    public void Job_array_of_four_shards_gives_exactly_the_local_results()
    {
        using var folder = new TempFolder();
        folder.File("base.yaml", "name: q\nqueue:\n  arrival_rate: 0.5\n  service_rate: 1\ncustomers: 1000\n");
        string sweep = folder.File("sweep.yaml", "name: mm1\nbase: base.yaml\ngrid:\n  queue.arrival_rate: [0.1, 0.3, 0.5, 0.7, 0.9]\n  queue.service_rate: [1, 2]\nreplications: 2\n");
        var plan = SweepPlan.Create(SweepSpec.Load(sweep), DemoSchema.Schema);

        string local = folder.Combine("local");
        new SweepRunner(new MM1Evaluator()).Run(plan, local, ShardSpec.All, jobs: 1);
        var localMerge = SweepMerger.Merge([local], Path.Combine(local, "results.csv"));
        Assert.Equal(20, localMerge.Runs);

        using var cluster = new LocalSlurmCluster(folder.Combine("slurm"));
        var submitter = new SlurmSubmitter(new SlurmOptions
        {
            SimCommand = TestHost.Command(),
            PollInterval = TimeSpan.FromMilliseconds(500),
            WaitLimit = TimeSpan.FromMinutes(3),
            Environment = cluster.Environment,
        });
        string onCluster = folder.Combine("cluster");
        var progress = new List<string>();
        SweepMerger.Summary merged;
        try
        {
            merged = submitter.Run(plan, shards: 4, onCluster, progress.Add);
        }
        catch (SweepException e)
        {
            string logs = string.Join("\n", Directory.GetFiles(Path.Combine(onCluster, "slurm"), "*.log").Select(f => $"--- {f}\n{File.ReadAllText(f)}"));
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{logs}\n{cluster.Logs()}");
        }

        Assert.Contains(progress, p => p.StartsWith("submitted job array", StringComparison.Ordinal));
        Assert.Equal(4, Directory.GetFiles(Path.Combine(onCluster, "slurm"), "shard-*.log").Length);
        for (int shard = 0; shard < 4; shard++)
            Assert.Contains($"shard {shard}/4: 5 runs, 0 already done, 5 run now", File.ReadAllText(Path.Combine(onCluster, "slurm", $"shard-{shard}.log")));
        Assert.Equal(20, merged.Runs);
        Assert.Equal(File.ReadAllBytes(Path.Combine(local, "results.csv")), File.ReadAllBytes(merged.CsvPath));

        // A task whose run fails leaves its other runs done; the merge names the missing point and the logs.
        string failing = folder.File("failing.yaml", "name: failing\nbase: base.yaml\nlist:\n  - {customers: 10}\n  - {customers: 20, fail: true}\n  - {customers: 30}\n");
        var failingPlan = SweepPlan.Create(SweepSpec.Load(failing), new MM1Evaluator());
        string failedDir = folder.Combine("failed");
        var error = Assert.Throws<SweepException>(() => submitter.Run(failingPlan, shards: 3, failedDir));
        Assert.Contains($"missing 1 of 3 runs, points: {failingPlan.Points[1].Id} (replication 0; customers=20, fail=true)", error.Message);
        Assert.Contains($"shard logs: {failedDir}/slurm/shard-*.log", error.Message);
        Assert.Contains("this point fails on purpose", File.ReadAllText(Path.Combine(failedDir, "slurm", "shard-1.log")));
        Assert.Equal(2, Directory.GetFiles(Path.Combine(failedDir, "runs"), "*.json").Length);
    }
}
