namespace Sim.Cli.Tests;

/// <summary>
/// Every scenario kind takes the same path through <c>sim run</c> and <c>sim sweep</c>: a federated
/// scenario is swept like a training one, and the printed summary is the outcome's, not a file read back.
/// </summary>
public sealed class ScenarioKindTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sim-kinds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void AFederatedScenarioCanBeSwept()
    {
        string baseFile = Path.Combine(RepositoryPaths.Scenarios, "federated-sync.yaml");
        string sweep = Path.Combine(_dir, "sweep.yaml");
        File.WriteAllText(sweep, $"name: fed-sweep\nbase: {baseFile}\nreplications: 1\ngrid:\n  federated.rounds: [5, 10]\n  replications: [1]\n");
        string outDir = Path.Combine(_dir, "out");
        var (code, _, error) = SimCommandLine.Invoke("sweep", "run", sweep, "--out", outDir);
        Assert.True(code == 0, $"exit {code}: {error}");
        var lines = File.ReadAllLines(Path.Combine(outDir, "results.csv"));
        Assert.Equal(3, lines.Length); // header and one row per point
        var header = lines[0].Split(',');
        int attempted = Array.IndexOf(header, "rounds_attempted");
        Assert.True(attempted >= 0, $"no rounds_attempted column in: {lines[0]}");
        Assert.Equal(new[] { 5.0, 10.0 }, lines.Skip(1).Select(l => double.Parse(l.Split(',')[attempted], System.Globalization.CultureInfo.InvariantCulture)).Order());
    }

    /// <summary><c>sim run</c> prints the outcome's metrics from memory; they must be exactly what
    /// summary.json holds, for every kind.</summary>
    [Theory]
    [InlineData("federated-async.yaml"), InlineData("local-sgd.yaml")]
    public void TheOutcomeInMemoryIsWhatTheSummaryFileHolds(string file)
    {
        var outcome = Sim.Scenarios.ScenarioKinds.Load(Path.Combine(RepositoryPaths.Scenarios, file)).Simulate();
        string outDir = Path.Combine(_dir, file);
        Sim.Scenarios.ResultsWriter.Write(outcome, outDir);
        var read = Sim.Reports.SummaryJsonReader.Read(Path.Combine(outDir, "summary.json"));
        Assert.Equal(outcome.Title, read.Title);
        Assert.Equal(outcome.Info, read.Info);
        Assert.Equal(outcome.Metrics.Select(kv => kv.Key), read.Metrics.Select(kv => kv.Key));
        Assert.All(outcome.Metrics.Zip(read.Metrics), pair => Assert.Equal(pair.First.Value, pair.Second.Value));
    }
}
