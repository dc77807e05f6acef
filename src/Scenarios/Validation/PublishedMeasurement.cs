namespace Sim.Scenarios.Validation;

/// <summary>
/// A measurement of a real system reported in a publication, with the configuration needed to
/// simulate it: like a reference weight used to check a scale. <see cref="ScenarioYaml"/> describes the
/// same hardware, model and parallel layout; <see cref="Metric"/> names the summary metric compared.
/// </summary>
public sealed record PublishedMeasurement(
    string Name,
    string System,
    string Source,
    string Metric,
    double Measured,
    string Unit,
    string ScenarioYaml,
    string Caveats);
