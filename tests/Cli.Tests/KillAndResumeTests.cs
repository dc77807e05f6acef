using Sim.Core.Files;
using Sim.Reports;
using Sim.Scenarios.Sweeps;
using Sim.Scenarios.Tests.Fixtures;

namespace Sim.Cli.Tests;

/// <summary>
/// A sweep process is killed with SIGKILL midway, then started again: every run that had finished
/// before the kill is kept byte for byte, the rest are run once, and the merged results equal those
/// of an uninterrupted run.
/// </summary>
public sealed class KillAndResumeTests
{
    [Fact]
    public void Killing_a_sweep_midway_and_restarting_loses_and_duplicates_nothing()
    {
        using var folder = new TempFolder();
        folder.File("base.yaml", "name: q\nqueue:\n  arrival_rate: 0.5\n  service_rate: 1\ncustomers: 300\nwork_ms: 120\n");
        string sweep = folder.File("sweep.yaml", "base: base.yaml\ngrid:\n  queue.arrival_rate: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8]\nreplications: 3\n");
        string outDir = folder.Combine("out");
        var plan = SweepPlan.Create(SweepSpec.Load(sweep), DemoSchema.Schema);
        var store = new SweepResultStore(outDir);

        Dictionary<string, byte[]> kept;
        using (var child = new ChildProcess(TestHost.Command(), "sweep", "run", sweep, "--out", outDir, "--jobs", "2"))
        {
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (Finished(store) < 5 && DateTime.UtcNow < deadline && !child.HasExited) Thread.Sleep(10);
            Assert.False(child.HasExited, $"the sweep ended before it could be killed: {child.Output}");
            child.Kill();
            kept = Directory.GetFiles(store.RunsDirectory, "*.json").ToDictionary(f => f, File.ReadAllBytes);
        }
        Assert.InRange(kept.Count, 5, plan.Runs.Count - 1);
        foreach (var bytes in kept.Values) Assert.NotNull(System.Text.Json.JsonDocument.Parse(bytes)); // complete files only

        using (var again = new ChildProcess(TestHost.Command(), "sweep", "run", sweep, "--out", outDir, "--jobs", "2"))
        {
            Assert.Equal(0, again.WaitForExit(TimeSpan.FromSeconds(90)));
            Assert.Contains($"{plan.Runs.Count} runs, {kept.Count} already done, {plan.Runs.Count - kept.Count} run now", again.Output);
        }
        foreach (var (file, bytes) in kept) Assert.Equal(bytes, File.ReadAllBytes(file));
        Assert.Equal(plan.Runs.Count, Finished(store));
        Assert.Empty(Directory.GetFiles(store.RunsDirectory, "*" + AtomicFile.TempSuffix));

        string reference = folder.Combine("reference");
        new SweepRunner(new MM1Evaluator()).Run(plan, reference, ShardSpec.All, jobs: 2);
        SweepMerger.Merge([reference], Path.Combine(reference, "results.csv"));
        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, "results.csv")), File.ReadAllBytes(Path.Combine(outDir, "results.csv")));
    }

    private static int Finished(SweepResultStore store) =>
        Directory.Exists(store.RunsDirectory) ? Directory.GetFiles(store.RunsDirectory, "*.json").Length : 0;
}
