using Sim.Scenarios.Training;

namespace Sim.Scenarios.Validation;

/// <summary>One row of a validation table: what was measured, what the simulator predicts, the error,
/// and where the predicted time went (<see cref="Split"/>; null for collective rows), so that a systematic
/// error can be traced to compute, exposed communication or pipeline bubble.</summary>
public sealed record ValidationRow(string Name, string Metric, double Measured, double Predicted, string Unit, string Source, string SourceKey = "", TimeSplit? Split = null)
{
    /// <summary>(predicted - measured) / measured.</summary>
    public double RelativeError => (Predicted - Measured) / Measured;
}

/// <summary>Fractions of a predicted iteration spent computing (optimizer included), in communication
/// that compute did not hide, and idle in the pipeline bubble.</summary>
public sealed record TimeSplit(double Compute, double ExposedCommunication, double Bubble)
{
    /// <summary>The split as "compute/exposed/bubble" percentages, e.g. "88/2/10".</summary>
    public override string ToString() => $"{100 * Compute:F0}/{100 * ExposedCommunication:F0}/{100 * Bubble:F0}";
}

/// <summary>Simulates each published configuration and sets the prediction beside the measurement.</summary>
public static class PublishedValidation
{
    public static IReadOnlyList<ValidationRow> Run(IEnumerable<PublishedMeasurement>? measurements = null)
    {
        var rows = new List<ValidationRow>();
        foreach (var m in measurements ?? PublishedMeasurements.All)
        {
            if (m.Collective is { } probe)
            {
                rows.Add(new ValidationRow(m.Name, m.Metric, m.Measured, CollectiveBusBandwidth(probe), m.Unit, m.Source, m.SourceKey));
                continue;
            }
            var scenario = TrainingScenario.Parse(m.ScenarioYaml, $"published:{m.Name}");
            var outcome = ScenarioRunner.Run(scenario);
            var metrics = RunMetrics.Of(outcome).ToDictionary(kv => kv.Key, kv => kv.Value);
            if (!metrics.TryGetValue(m.Metric, out double predicted))
                throw new InvalidOperationException($"{m.Name}: the simulator reports no metric '{m.Metric}'");
            var split = new TimeSplit(metrics.GetValueOrDefault("fraction_compute"), metrics.GetValueOrDefault("fraction_exposed_communication"),
                metrics.GetValueOrDefault("fraction_pipeline_bubble"));
            rows.Add(new ValidationRow(m.Name, m.Metric, m.Measured, predicted, m.Unit, m.Source, m.SourceKey, split));
        }
        return rows;
    }

    /// <summary>nccl-tests bus bandwidth (GB/s) of the probe as NCCL runs it (<see cref="Sim.Models.Collectives.Nccl.NcclCollectiveTime.Predict"/>).</summary>
    public static double CollectiveBusBandwidth(CollectiveProbe probe)
    {
        var sys = Sim.Models.Collectives.Nccl.NcclSystem.For(HardwarePresets.Node(probe.Preset), probe.Nodes);
        double seconds = Sim.Models.Collectives.Nccl.NcclCollectiveTime.Predict(probe.Kind, sys, probe.Bytes).Seconds;
        return Sim.Models.Collectives.BusBandwidth.Of(probe.Kind, sys.Ranks, probe.Bytes, seconds) / 1e9;
    }

    /// <summary>Mean absolute percentage error per source, in catalogue order.</summary>
    public static IReadOnlyList<(string Source, int Rows, double Mape)> MapeBySource(IReadOnlyList<ValidationRow> rows) =>
        rows.GroupBy(r => r.SourceKey).Select(g => (g.Key, g.Count(), Mape(g.ToList()))).ToList();

    /// <summary>Mean absolute percentage error over <paramref name="rows"/>.</summary>
    public static double Mape(IReadOnlyList<ValidationRow> rows) => rows.Average(r => Math.Abs(r.RelativeError));
}
