using Sim.Core.Statistics;

namespace Sim.Scenarios;

/// <summary>
/// Named metrics over independent replications, like a lab sheet that records each measurement's
/// mean and, when asked and there are two or more replications, its 95% Student-t half-width as
/// NAME_ci95. Serves training and federated summaries alike.
/// </summary>
public sealed class ReplicatedMetrics<T>(IReadOnlyList<T> replications)
{
    private readonly List<KeyValuePair<string, double>> _metrics = new();

    public IReadOnlyList<KeyValuePair<string, double>> Metrics => _metrics;

    public void Add(string name, Func<T, double> metric, bool interval = false)
    {
        var values = replications.Select(metric).ToArray();
        _metrics.Add(new(name, values.Average()));
        if (interval && values.Length > 1) _metrics.Add(new(name + "_ci95", ConfidenceInterval.Of(values).HalfWidth));
    }

    /// <summary>A value that is not a per-replication metric (wall time of the whole run).</summary>
    public void AddValue(string name, double value) => _metrics.Add(new(name, value));
}
