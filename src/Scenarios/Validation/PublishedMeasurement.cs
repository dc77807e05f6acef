namespace Sim.Scenarios.Validation;

/// <summary>
/// A measurement of a real system reported in a publication, with the configuration needed to
/// simulate it: like a reference weight used to check a scale. <see cref="ScenarioYaml"/> describes the
/// same hardware, model and parallel layout; <see cref="Metric"/> names the summary metric compared.
/// A collective measurement (nccl-tests) carries <see cref="Collective"/> instead of a scenario.
/// <see cref="SourceKey"/> groups rows by publication for the per-source error.
/// </summary>
public sealed record PublishedMeasurement(
    string Name,
    string System,
    string Source,
    string Metric,
    double Measured,
    string Unit,
    string ScenarioYaml,
    string Caveats,
    string SourceKey = "",
    CollectiveProbe? Collective = null);

/// <summary>One nccl-tests point: a collective of <paramref name="Bytes"/> over <paramref name="Nodes"/>
/// preset servers, compared on bus bandwidth (GB/s).</summary>
public sealed record CollectiveProbe(string Preset, int Nodes, Sim.Models.Collectives.CollectiveKind Kind, double Bytes);
