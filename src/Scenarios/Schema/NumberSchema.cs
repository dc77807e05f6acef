using System.Globalization;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// Finite real numbers with optional open or closed bounds ("> 0", "in [0, 1]"), like a gauge
/// with marked limits: NaN, infinities and quoted numbers are refused.
/// </summary>
public sealed class NumberSchema(double? min = null, double? max = null, bool minExclusive = false, bool maxExclusive = false) : ScalarSchema
{
    public double? Min { get; } = min;
    public double? Max { get; } = max;
    public bool MinExclusive { get; } = minExclusive;
    public bool MaxExclusive { get; } = maxExclusive;

    public override string Expected => "a number" + RangeText.Of(Min, Max, MinExclusive, MaxExclusive);

    public override string? TryConvert(YamlScalar scalar, out object value)
    {
        value = 0.0;
        if (scalar.IsQuoted || !double.TryParse(scalar.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) || !double.IsFinite(number))
            return "not a number";
        if (Min is { } lo && (MinExclusive ? number <= lo : number < lo)) return "too small";
        if (Max is { } hi && (MaxExclusive ? number >= hi : number > hi)) return "too large";
        value = number;
        return null;
    }
}
