using System.Text.Json;

namespace Sim.Cli.Tests.Cluster;

/// <summary>`sim cluster run` end to end: shipped cluster scenarios, reproducibility, bad input.</summary>
public sealed class ClusterCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sim-cluster-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(RepositoryPaths.Scenarios, "cluster-*.yaml").OrderBy(f => f, StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    private static Dictionary<string, double> Metrics(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        return doc.RootElement.GetProperty("metrics").EnumerateObject()
            .Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble());
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void ShippedClusterScenarioRunsAndWritesACompleteResultsFolder(string file)
    {
        string outDir = Path.Combine(_dir, Path.GetFileNameWithoutExtension(file));
        var (code, output, error) = SimCommandLine.Invoke("cluster", "run", Path.Combine(RepositoryPaths.Scenarios, file), "--out", outDir, "--quiet");
        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains("results: ", output);
        foreach (var f in new[] { "summary.json", "jobs.csv", "series.csv", "report.html" })
            Assert.True(File.Exists(Path.Combine(outDir, f)), f);
        Assert.Empty(Directory.GetFiles(outDir, "*.partial", SearchOption.AllDirectories));
        var m = Metrics(outDir);
        Assert.True(m["jobs_completed"] > 0);
        Assert.True(m["jct_p50_s"] <= m["jct_p95_s"] && m["jct_p95_s"] <= m["jct_p99_s"]);
        Assert.True(m["slowdown_mean"] >= 1 - 1e-9);
        Assert.InRange(m["utilisation"], 1e-3, 1);
        Assert.InRange(m["jain_fairness"], 0, 1);
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("Job completion time CDF", html);
        Assert.Contains("Queue length", html);
    }

    [Fact]
    public void SameSeedGivesIdenticalJobTablesAndAnotherSeedDoesNot()
    {
        string file = Path.Combine(_dir, "small.yaml");
        File.WriteAllText(file, """
            name: small
            cluster: {nodes: 4, gpus_per_node: 8, nodes_per_leaf: 2}
            jobs:
              synthetic: {arrival_rate_per_hour: 40, gpus: "empirical(1, 2, 4, 8, 16)", duration_s: "pareto(300, 1.5)", estimate_error: "lognormal(0, 0.5)", jobs: 300}
            scheduler: {policy: srtf, placement: topology-aware, checkpoint_s: 5, restore_s: 5}
            """);
        string Run(string name, string seed)
        {
            string dir = Path.Combine(_dir, name);
            var (code, _, error) = SimCommandLine.Invoke("cluster", "run", file, "--out", dir, "--quiet", "--seed", seed);
            Assert.True(code == 0, error);
            return File.ReadAllText(Path.Combine(dir, "jobs.csv"));
        }
        Assert.Equal(Run("a", "7"), Run("b", "7"));
        Assert.NotEqual(Run("a", "7"), Run("c", "8"));
    }

    [Fact]
    public void BadClusterFileExitsTwoWithALocatedErrorAndWritesNothing()
    {
        string file = Path.Combine(_dir, "bad.yaml");
        File.WriteAllText(file, """
            name: bad
            cluster: {nodes: 4, gpus_per_node: 8}
            jobs:
              synthetic: {arrival_rate_per_hour: -1, gpus: 1, duration_s: 10, jobs: 5}
            scheduler: {policy: fifo}
            """);
        string outDir = Path.Combine(_dir, "out");
        var (code, _, error) = SimCommandLine.Invoke("cluster", "run", file, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("bad.yaml:4:", error);
        Assert.Contains("jobs.synthetic.arrival_rate_per_hour", error);
        Assert.DoesNotContain("   at ", error); // no stack trace
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void BadTraceExitsTwoWithItsLineAndColumnAndWritesNothing()
    {
        File.WriteAllText(Path.Combine(_dir, "log.csv"), "job_id,gpu_num,submit_time,duration\na,1,2020-04-01 00:00:00,10\nb,1,2020-04-01 00:00:05,-3\n");
        string file = Path.Combine(_dir, "trace.yaml");
        File.WriteAllText(file, """
            name: trace
            cluster: {nodes: 1, gpus_per_node: 8}
            jobs: {trace: {format: helios, path: log.csv}}
            scheduler: {policy: fifo}
            """);
        string outDir = Path.Combine(_dir, "out");
        var (code, _, error) = SimCommandLine.Invoke("cluster", "run", file, "--out", outDir);
        Assert.Equal(2, code);
        Assert.Contains("log.csv:3:25: duration", error);
        Assert.False(Directory.Exists(outDir));
    }

    [Fact]
    public void SimRunAcceptsClusterFilesThroughTheScenarioKindRegistry()
    {
        string file = Path.Combine(_dir, "k.yaml");
        File.WriteAllText(file, """
            name: k
            cluster: {nodes: 2, gpus_per_node: 4}
            jobs: {synthetic: {arrival_rate_per_hour: 30, gpus: 2, duration_s: 600, jobs: 20}}
            scheduler: {policy: themis}
            """);
        string outDir = Path.Combine(_dir, "k");
        var (code, _, error) = SimCommandLine.Invoke("run", file, "--out", outDir, "--quiet");
        Assert.True(code == 0, error);
        Assert.Equal(20, Metrics(outDir)["jobs_completed"]);
        Assert.True(File.Exists(Path.Combine(outDir, "jobs.csv")));
    }

    [Fact]
    public void SweepOverPoliciesAndLoadsGivesOneTidyTable()
    {
        File.WriteAllText(Path.Combine(_dir, "base.yaml"), """
            name: base
            cluster: {nodes: 2, gpus_per_node: 8}
            jobs: {synthetic: {arrival_rate_per_hour: 10, gpus: "empirical(1, 2, 4, 8)", duration_s: "lognormal(7, 1.5)", jobs: 200}}
            scheduler: {policy: fifo}
            """);
        string sweep = Path.Combine(_dir, "sweep.yaml");
        File.WriteAllText(sweep, """
            name: s
            base: base.yaml
            replications: 2
            grid:
              scheduler.policy: [fifo, tiresias]
              jobs.synthetic.arrival_rate_per_hour: [10, 20]
            """);
        string outDir = Path.Combine(_dir, "sweep-out");
        var (code, _, error) = SimCommandLine.Invoke("sweep", "run", sweep, "--out", outDir, "--jobs", "1");
        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(Path.Combine(outDir, "results.csv"));
        Assert.Equal(1 + 2 * 2 * 2, lines.Length);
        Assert.Contains("jct_mean_s", lines[0]);
        Assert.DoesNotContain("wall_s", lines[0]); // results are a function of scenario and seed
    }

    [Fact]
    public void PoliciesListsTheRegistry()
    {
        var (code, output, _) = SimCommandLine.Invoke("cluster", "policies");
        Assert.Equal(0, code);
        foreach (var name in new[] { "fifo", "sjf", "srtf", "las", "tiresias", "ps", "themis", "gavel" }) Assert.Contains(name, output);
    }
}
