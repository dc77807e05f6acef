using Sim.Scenarios.Training;

namespace Sim.Scenarios.Validation;

/// <summary>One row of a validation table: what was measured, what the simulator predicts, the error.</summary>
public sealed record ValidationRow(string Name, string Metric, double Measured, double Predicted, string Unit, string Source)
{
    /// <summary>(predicted - measured) / measured.</summary>
    public double RelativeError => (Predicted - Measured) / Measured;
}

/// <summary>Simulates each published configuration and sets the prediction beside the measurement.</summary>
public static class PublishedValidation
{
    public static IReadOnlyList<ValidationRow> Run(IEnumerable<PublishedMeasurement>? measurements = null)
    {
        var rows = new List<ValidationRow>();
        foreach (var m in measurements ?? PublishedMeasurements.All)
        {
            var scenario = TrainingScenario.Parse(m.ScenarioYaml, $"published:{m.Name}");
            var outcome = ScenarioRunner.Run(scenario);
            var metrics = RunMetrics.Of(outcome).ToDictionary(kv => kv.Key, kv => kv.Value);
            if (!metrics.TryGetValue(m.Metric, out double predicted))
                throw new InvalidOperationException($"{m.Name}: the simulator reports no metric '{m.Metric}'");
            rows.Add(new ValidationRow(m.Name, m.Metric, m.Measured, predicted, m.Unit, m.Source));
        }
        return rows;
    }

    /// <summary>Mean absolute percentage error over <paramref name="rows"/>.</summary>
    public static double Mape(IReadOnlyList<ValidationRow> rows) => rows.Average(r => Math.Abs(r.RelativeError));
}
