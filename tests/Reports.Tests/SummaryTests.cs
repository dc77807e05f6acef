using Sim.Scenarios.Tests.Fixtures;
namespace Sim.Reports.Tests;

public sealed class SummaryTests
{
    private static readonly RunSummary A = new("baseline",
        [new("scenario", "dp-8gpu"), new("seed", "1")],
        [new("throughput", 1000.0), new("p99", 0.25), new("failures", 0.0), new("mfu", double.NaN)]);

    [Fact]
    public void Summary_json_round_trips_every_number_including_non_finite()
    {
        using var folder = new TempFolder();
        string path = folder.Combine("summary.json");
        SummaryJsonWriter.Write(path, A);
        var back = SummaryJsonReader.Read(folder.Path);
        Assert.Equal(A.Title, back.Title);
        Assert.Equal(A.Info, back.Info);
        Assert.Equal(A.Metrics.Select(m => m.Key), back.Metrics.Select(m => m.Key));
        Assert.Equal(A.Metrics.Select(m => m.Value), back.Metrics.Select(m => m.Value));
        Assert.Contains("\"mfu\": \"NaN\"", File.ReadAllText(path));
    }

    [Theory]
    [InlineData("{", "invalid JSON")]
    [InlineData("[]", "expected a JSON object")]
    [InlineData("{\"format\":\"other\"}", "format: expected \"sim-summary/1\", got \"other\"")]
    [InlineData("{\"format\":\"sim-summary/1\",\"title\":\"t\",\"info\":{},\"metrics\":{\"x\":\"fast\"}}", "metrics.x: expected a number, got \"fast\"")]
    [InlineData("{\"format\":\"sim-summary/1\",\"title\":\"t\",\"info\":{\"a\":1},\"metrics\":{}}", "info.a: expected a string, got 1")]
    [InlineData("{\"format\":\"sim-summary/1\",\"title\":\"t\",\"metrics\":{}}", "info: expected an object")]
    public void Bad_summary_files_are_rejected_with_the_key(string json, string expected)
    {
        var e = Assert.Throws<InvalidDataException>(() => SummaryJsonReader.Parse(json, "s.json"));
        Assert.StartsWith("s.json", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Comparison_reports_absolute_and_relative_changes_and_one_sided_metrics()
    {
        var b = new RunSummary("candidate", [new("scenario", "dp-16gpu"), new("seed", "1")],
            [new("throughput", 1500.0), new("p99", 0.25), new("memory", 40.0)]);
        var result = RunComparison.Compare(A, b);
        var throughput = result.Metrics.Single(m => m.Name == "throughput");
        Assert.Equal(500.0, throughput.Change);
        Assert.Equal(0.5, throughput.Relative);
        Assert.False(result.Metrics.Single(m => m.Name == "p99").Differs);
        Assert.Null(result.Metrics.Single(m => m.Name == "failures").After);
        Assert.Null(result.Metrics.Single(m => m.Name == "memory").Before);
        Assert.Equal([new RunComparison.InfoChange("scenario", "dp-8gpu", "dp-16gpu")], result.Info);
        var table = RunComparison.ToTable(result, changedOnly: true);
        Assert.Equal(["throughput", "failures", "mfu", "memory"], table.Rows.Select(r => (string)r[0]!));
        Assert.Equal(50.0, table.Rows[0][4]);
    }
}
