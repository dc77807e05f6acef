using System.Security.Cryptography;
using System.Text;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// One setting of the swept knobs, like one cell of an experiment grid. Its id is a hash of its
/// overrides (sorted key paths with canonical values), so it does not depend on the order points are
/// listed in and stays the same when the sweep is extended: finished results keep matching.
/// </summary>
public sealed class SweepPoint
{
    public int Index { get; }
    public string Id { get; }
    /// <summary>Overrides in declaration order: key path text and canonical value text.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Overrides { get; }
    public ScenarioDocument Scenario { get; }

    public SweepPoint(int index, IReadOnlyList<KeyValuePair<string, string>> overrides, ScenarioDocument scenario)
    {
        Index = index;
        Overrides = overrides;
        Scenario = scenario;
        Id = IdOf(overrides);
    }

    public static string IdOf(IEnumerable<KeyValuePair<string, string>> overrides)
    {
        var canonical = new StringBuilder();
        foreach (var (key, value) in overrides.OrderBy(o => o.Key, StringComparer.Ordinal))
            canonical.Append(key).Append('=').Append(value).Append('\n');
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString()));
        return Convert.ToHexStringLower(hash.AsSpan(0, 6));
    }

    public string Describe() =>
        Overrides.Count == 0 ? "(base scenario)" : string.Join(", ", Overrides.Select(o => $"{o.Key}={o.Value}"));
}
