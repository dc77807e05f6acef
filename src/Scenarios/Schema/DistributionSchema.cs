using System.Globalization;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// A distribution written as text, such as <c>lognormal(0, 0.25)</c> or a bare constant, checked by the
/// same parser the simulator uses (Sim.Core.Randomness.Distributions), so argument counts and ranges
/// are validated up front; optionally limited to some families. The value is kept as text for the
/// model to parse; file references such as <c>empirical("samples.txt")</c> resolve next to the YAML file.
/// </summary>
public sealed class DistributionSchema(params string[] families) : ScalarSchema
{
    public IReadOnlyList<string> Families { get; } = families;

    /// <summary>Largest mean accepted (in the key's own unit).</summary>
    public const double MaxMean = 1e12;

    public override string Expected => Families.Count == 0
        ? "a distribution such as lognormal(0, 0.25), exponential(2) or a constant"
        : $"a distribution ({string.Join(", ", Families)}) or a constant";

    /// <summary>The parser's own reason, e.g. "lognormal(mu, sigma) takes 2 arguments, got 1".</summary>
    protected override string HintFor(YamlNode node) =>
        node is YamlScalar scalar && TryConvert(scalar, out _) is { } problem ? $" ({problem})" : "";

    public override string? TryConvert(YamlScalar scalar, out object value)
    {
        value = scalar.Value;
        if (scalar.IsQuoted && double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)) return "a quoted number";
        string? directory = scalar.Location.File is { } file ? Path.GetDirectoryName(Path.GetFullPath(file)) : null;
        if (!Sim.Core.Randomness.Distributions.TryParse(scalar.Value, out var parsed, out var error, directory)) return error;
        // Parameters such as lognormal(2147483648, 0.1) parse but mean e^(2^31): every draw would be
        // infinite or absurd. No duration, size or multiplier in a scenario has a mean above 1e12.
        if (!(Math.Abs(parsed!.Mean) <= MaxMean)) return $"its mean is {parsed.Mean.ToString("G4", CultureInfo.InvariantCulture)}; expected a finite mean of at most {MaxMean:G0} in size";
        if (Families.Count > 0 && parsed is not Sim.Core.Randomness.Deterministic)
        {
            string family = parsed!.ToString()!.Split('(')[0];
            if (!Families.Contains(family, StringComparer.Ordinal) && !Families.Contains(scalar.Value.Split('(')[0].Trim(), StringComparer.Ordinal))
                return $"family '{family}' is not allowed here";
        }
        return null;
    }
}
