using System.Text.Json;

namespace Sim.Cli.Tests;

/// <summary>
/// End to end: every scenario shipped under scenarios/ runs through the real `sim run` command and
/// leaves a complete results folder whose numbers are sane; the built-in quick-start runs with no
/// argument; runs are reproducible; `sim compare` reads two of them.
/// </summary>
public sealed class ShippedScenarioTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sim-e2e-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    public static TheoryData<string> Scenarios()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(RepositoryPaths.Scenarios, "*.yaml").OrderBy(f => f, StringComparer.Ordinal))
            if (!Path.GetFileName(f).StartsWith("sweep-", StringComparison.Ordinal) && !Path.GetFileName(f).StartsWith("cluster-", StringComparison.Ordinal)) data.Add(Path.GetFileName(f)); // cluster-*: ClusterCommandTests
        return data;
    }

    private static Dictionary<string, double> Metrics(string dir)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")));
        var metrics = doc.RootElement.GetProperty("metrics");
        return metrics.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Number).ToDictionary(p => p.Name, p => p.Value.GetDouble());
    }

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void ShippedScenarioRunsAndWritesACompleteResultsFolder(string file)
    {
        string outDir = Path.Combine(_dir, Path.GetFileNameWithoutExtension(file));
        var (code, output, error) = SimCommandLine.Invoke("run", Path.Combine(RepositoryPaths.Scenarios, file), "--out", outDir);
        Assert.True(code == 0, $"exit {code}: {error}");
        Assert.Contains("results: ", output);
        Assert.True(File.Exists(Path.Combine(outDir, "summary.json")));
        Assert.True(File.Exists(Path.Combine(outDir, "report.html")));
        Assert.Empty(Directory.GetFiles(outDir, "*.partial", SearchOption.AllDirectories));
        var m = Metrics(outDir);
        if (File.ReadLines(Path.Combine(RepositoryPaths.Scenarios, file)).Any(l => l.StartsWith("strategies:", StringComparison.Ordinal)))
        {
            // Training in the loop (sim learn): per-strategy table and learning curves instead of iterations.
            Assert.True(File.Exists(Path.Combine(outDir, "strategies.csv")));
            Assert.True(File.Exists(Path.Combine(outDir, "curves.csv")));
        }
        else if (file.StartsWith("federated", StringComparison.Ordinal))
        {
            Assert.True(File.Exists(Path.Combine(outDir, "rounds.csv")));
            Assert.InRange(m["round_time_mean_s"], 1e-3, 1e6);
            Assert.InRange(m["participation_rate"], 0.01, 1);
        }
        else
        {
            Assert.True(File.Exists(Path.Combine(outDir, "iterations.csv")));
            Assert.InRange(m["iteration_mean_s"], 1e-4, 100);
            Assert.True(m["samples_per_s"] > 0);
            // MFU is counted against the BF16 peak; FP8 recipes can exceed it (FP8's peak is twice that).
            Assert.InRange(m["mfu"], 1e-4, file.Contains("fp8", StringComparison.Ordinal) ? 2 : 1);
            Assert.InRange(m["goodput"], 0, 1);
            double parts = m.Where(kv => kv.Key.StartsWith("fraction_", StringComparison.Ordinal)).Sum(kv => kv.Value);
            Assert.Equal(1.0, parts, 6); // the breakdown accounts for all of the job's time
        }
    }

    [Fact]
    public void RunWithoutArgumentsRunsTheBuiltInQuickStartReproducibly()
    {
        string a = Path.Combine(_dir, "a"), b = Path.Combine(_dir, "b");
        Assert.Equal(0, SimCommandLine.Invoke("run", "--out", a, "--quiet").ExitCode);
        Assert.Equal(0, SimCommandLine.Invoke("run", "--out", b, "--quiet").ExitCode);
        var ma = Metrics(a);
        var mb = Metrics(b);
        foreach (var key in ma.Keys.Where(k => k != "wall_s")) Assert.Equal(ma[key], mb[key]);
        Assert.Equal(File.ReadAllText(Path.Combine(a, "iterations.csv")), File.ReadAllText(Path.Combine(b, "iterations.csv")));
        using var timeline = JsonDocument.Parse(File.ReadAllText(Path.Combine(a, "timeline.json")));
        Assert.True(timeline.RootElement.GetProperty("traceEvents").GetArrayLength() > 100);

        var (code, output, _) = SimCommandLine.Invoke("compare", a, b);
        Assert.Equal(0, code);
        Assert.DoesNotContain("iteration_mean_s", output); // identical runs: only wall time may differ

        string c = Path.Combine(_dir, "c");
        Assert.Equal(0, SimCommandLine.Invoke("run", "--out", c, "--quiet", "--seed", "2").ExitCode);
        (code, output, _) = SimCommandLine.Invoke("compare", a, c);
        Assert.Equal(0, code);
        Assert.Contains("iteration_mean_s", output);
        Assert.Contains("seed: 1 -> 2", output);
    }

    [Fact]
    public void ASweepOverTrainingScenariosRunsAndMerges()
    {
        string sweep = Path.Combine(_dir, "sweep.yaml");
        File.WriteAllText(sweep, $"""
            name: tiny
            base: {Path.Combine(RepositoryPaths.Scenarios, "quickstart.yaml")}
            replications: 2
            grid:
              cluster.nodes: [1, 2]
              training.iterations: [5]
              replications: [1]
            """);
        string outDir = Path.Combine(_dir, "sweep-out");
        var (code, _, error) = SimCommandLine.Invoke("sweep", "run", sweep, "--out", outDir, "--jobs", "2");
        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(Path.Combine(outDir, "results.csv"));
        Assert.Equal(1 + 2 * 2, lines.Length); // header + 2 points x 2 replications
        Assert.Contains("samples_per_s", lines[0]);
    }

    [Fact]
    public void VersionIsPrinted()
    {
        var (code, output, _) = SimCommandLine.Invoke("--version");
        Assert.Equal(0, code);
        Assert.Matches(@"\d+\.\d+\.\d+", output);
    }
}
