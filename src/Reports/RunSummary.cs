namespace Sim.Reports;

/// <summary>
/// The headline numbers of one run, like the abstract of a paper: a title, descriptive facts
/// (scenario name, seed, version) and named metrics. Written as <c>summary.json</c> in each results
/// folder; <c>sim compare</c> reads two of them.
/// </summary>
public sealed record RunSummary(string Title, IReadOnlyList<KeyValuePair<string, string>> Info, IReadOnlyList<KeyValuePair<string, double>> Metrics)
{
    public const string Format = "sim-summary/1";

    public double? Metric(string name)
    {
        foreach (var (key, value) in Metrics)
            if (key == name) return value;
        return null;
    }
}
