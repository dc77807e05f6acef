using Sim.Cli.Commands;
using Sim.Reports;
using Sim.Scenarios.Tests.Fixtures;

namespace Sim.Cli.Tests;

public sealed class CommandTests
{
    private const string Base = "name: q\nqueue:\n  arrival_rate: 0.5\n  service_rate: 1\ncustomers: 200\n";

    [Fact]
    public void Sweep_run_merges_a_local_run_and_rerunning_does_nothing()
    {
        using var folder = new TempFolder();
        folder.File("base.yaml", Base);
        string sweep = folder.File("sweep.yaml", "base: base.yaml\ngrid:\n  queue.arrival_rate: [0.2, 0.4]\nreplications: 3\n");
        string outDir = folder.Combine("out");
        var first = TestHost.InProcess("sweep", "run", sweep, "--out", outDir, "--jobs", "2");
        Assert.Equal(ExitCodes.Success, first.ExitCode);
        Assert.Contains("6 runs, 0 already done, 6 run now", first.Output);
        Assert.Equal(6, Csv.Read(Path.Combine(outDir, "results.csv")).Count);
        var again = TestHost.InProcess("sweep", "run", sweep, "--out", outDir);
        Assert.Contains("6 runs, 6 already done, 0 run now", again.Output);
    }

    [Fact]
    public void Sweep_report_writes_a_self_contained_html_with_one_figure_per_metric()
    {
        using var folder = new TempFolder();
        folder.File("base.yaml", Base);
        string sweep = folder.File("sweep.yaml", "base: base.yaml\ngrid:\n  queue.arrival_rate: [0.2, 0.4, 0.6]\nreplications: 2\n");
        string outDir = folder.Combine("out");
        Assert.Equal(0, TestHost.InProcess("sweep", "run", sweep, "--out", outDir).ExitCode);
        var result = TestHost.InProcess("sweep", "report", outDir, "--x", "queue.arrival_rate", "--metric", "utilisation", "mean_response_analytic");
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("wrote 2 figure(s)", result.Output);
        string html = File.ReadAllText(Path.Combine(outDir, "report.html"));
        Assert.Contains("plotly.js v3.1.0", html);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(html, "<div id=\"figure-").Count);

        var bad = TestHost.InProcess("sweep", "report", outDir, "--x", "customers");
        Assert.Equal(ExitCodes.BadInput, bad.ExitCode);
        Assert.Contains("'customers' is not a swept key; expected one of: queue.arrival_rate", bad.Error);
    }

    [Fact]
    public void Bad_sweep_input_exits_with_2_naming_file_line_and_key_and_writes_nothing()
    {
        using var folder = new TempFolder();
        folder.File("base.yaml", Base);
        string sweep = folder.File("sweep.yaml", "base: base.yaml\ngrid:\n  queue.arrival_rate: [0.2, fast]\n");
        var result = TestHost.InProcess("sweep", "run", sweep, "--out", folder.Combine("out"));
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Equal($"{sweep}:3:29: queue.arrival_rate: expected a number > 0, got 'fast'", result.Error.Trim());
        Assert.False(Directory.Exists(folder.Combine("out")));
    }

    [Theory]
    [InlineData("4/4")]
    [InlineData("x")]
    public void Bad_shard_exits_with_2(string shard)
    {
        using var folder = new TempFolder();
        folder.File("base.yaml", Base);
        string sweep = folder.File("sweep.yaml", "base: base.yaml\n");
        var result = TestHost.InProcess("sweep", "run", sweep, "--shard", shard, "--out", folder.Combine("out"));
        Assert.Equal(ExitCodes.BadInput, result.ExitCode);
        Assert.Contains($"--shard: expected a shard", result.Error);
        Assert.Contains($"got '{shard}'", result.Error);
        Assert.False(Directory.Exists(folder.Combine("out")));
    }

    [Fact]
    public void Merge_of_an_incomplete_sweep_fails_naming_the_missing_points()
    {
        using var folder = new TempFolder();
        folder.File("base.yaml", Base);
        string sweep = folder.File("sweep.yaml", "base: base.yaml\ngrid:\n  queue.arrival_rate: [0.2, 0.4, 0.6]\n");
        string outDir = folder.Combine("out");
        Assert.Equal(0, TestHost.InProcess("sweep", "run", sweep, "--shard", "1/3", "--out", outDir).ExitCode);
        var result = TestHost.InProcess("sweep", "merge", outDir);
        Assert.Equal(ExitCodes.Failure, result.ExitCode);
        Assert.Contains("missing 2 of 3 runs", result.Error);
        Assert.Contains("queue.arrival_rate=0.2", result.Error);
        Assert.Contains("queue.arrival_rate=0.6", result.Error);
        Assert.DoesNotContain("queue.arrival_rate=0.4", result.Error);
        Assert.False(File.Exists(Path.Combine(outDir, "results.csv")));
    }

    [Fact]
    public void Compare_prints_what_changed_and_by_how_much()
    {
        using var folder = new TempFolder();
        SummaryJsonWriter.Write(folder.Combine("a", "summary.json"), new RunSummary("run a", [new("gpus", "8")], [new("throughput", 800.0), new("p99", 0.5)]));
        SummaryJsonWriter.Write(folder.Combine("b", "summary.json"), new RunSummary("run b", [new("gpus", "16")], [new("throughput", 1400.0), new("p99", 0.5)]));
        var result = TestHost.InProcess("compare", folder.Combine("a"), folder.Combine("b"));
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("gpus: 8 -> 16", result.Output);
        var throughput = result.Output.Split('\n').Single(l => l.Contains("throughput"));
        Assert.Contains("800", throughput);
        Assert.Contains("1,400", throughput);
        Assert.Contains("600", throughput);
        Assert.Contains("75", throughput);
        Assert.DoesNotContain("p99", result.Output); // unchanged metrics only with --all
        Assert.Contains("p99", TestHost.InProcess("compare", folder.Combine("a"), folder.Combine("b"), "--all").Output);

        var missing = TestHost.InProcess("compare", folder.Combine("a"), folder.Combine("nope"));
        Assert.Equal(ExitCodes.BadInput, missing.ExitCode);
        Assert.Contains("nope", missing.Error);
    }
}
