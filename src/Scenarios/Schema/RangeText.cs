using System.Globalization;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// Writes bounds the way error messages and docs phrase them, like the legend on a ruler:
/// "> 0", ">= 1", "in [0, 1]".
/// </summary>
internal static class RangeText
{
    public static string Of(double? min, double? max, bool minExclusive, bool maxExclusive)
    {
        string F(double x) => x.ToString("R", CultureInfo.InvariantCulture);
        if (min is { } lo && max is { } hi)
            return $" in {(minExclusive ? "(" : "[")}{F(lo)}, {F(hi)}{(maxExclusive ? ")" : "]")}";
        if (min is { } low) return $" {(minExclusive ? ">" : ">=")} {F(low)}";
        if (max is { } high) return $" {(maxExclusive ? "<" : "<=")} {F(high)}";
        return "";
    }

    public static string Of(long? min, long? max, bool minExclusive, bool maxExclusive) =>
        Of(min is { } a ? (double?)a : null, max is { } b ? (double?)b : null, minExclusive, maxExclusive);
}
