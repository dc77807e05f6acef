namespace Sim.Models.Dependability;

/// <summary>
/// An attack or defence setting that cannot work: an unknown name, a missing parameter, or a
/// violated precondition such as Krum's n > 2f + 2. <see cref="KeyPath"/> names the scenario key
/// (e.g. "defence.aggregator") so that the scenario layer can point at the file, line and column.
/// </summary>
public sealed class DependabilitySettingException(string keyPath, string problem)
    : ArgumentException($"{keyPath}: {problem}")
{
    public string KeyPath { get; } = keyPath;
    public string Problem { get; } = problem;
}
