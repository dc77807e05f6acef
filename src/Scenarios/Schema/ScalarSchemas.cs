using System.Globalization;
using System.Text.RegularExpressions;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>Whole numbers, optionally bounded; quoted text such as <c>"4"</c> is not a number.</summary>
public sealed class IntegerSchema(long? min = null, long? max = null) : ScalarSchema
{
    public long? Min { get; } = min;
    public long? Max { get; } = max;

    public override string Expected => "an integer" + RangeText.Of(Min, Max, false, false);

    public override string? TryConvert(YamlScalar scalar, out object value)
    {
        value = 0L;
        if (scalar.IsQuoted || !long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)) return "not an integer";
        if (number < Min || number > Max) return "out of range";
        value = number;
        return null;
    }
}

/// <summary>Finite real numbers with optional open or closed bounds ("> 0", "in [0, 1]").</summary>
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

/// <summary>YAML 1.2 core booleans: exactly <c>true</c> or <c>false</c> (no "yes"/"on" surprises).</summary>
public sealed class BooleanSchema : ScalarSchema
{
    public override string Expected => "true or false";

    public override string? TryConvert(YamlScalar scalar, out object value)
    {
        value = false;
        if (scalar.IsQuoted) return "quoted";
        if (scalar.Value == "true") { value = true; return null; }
        if (scalar.Value == "false") return null;
        return "not a boolean";
    }
}

/// <summary>Free text, non-empty.</summary>
public sealed class StringSchema : ScalarSchema
{
    public override string Expected => "a non-empty string";

    public override string? TryConvert(YamlScalar scalar, out object value)
    {
        value = scalar.Value;
        return scalar.Value.Length == 0 ? "empty" : null;
    }
}

/// <summary>One of a fixed set of words; a near miss gets a "did you mean" hint.</summary>
public sealed class EnumSchema(params string[] values) : ScalarSchema
{
    public IReadOnlyList<string> Values { get; } = values;

    public override string Expected => "one of " + string.Join(", ", Values);

    public override string? TryConvert(YamlScalar scalar, out object value)
    {
        value = scalar.Value;
        return Values.Contains(scalar.Value, StringComparer.Ordinal) ? null : "not allowed";
    }

    protected override string HintFor(YamlNode node) =>
        node is YamlScalar { IsNull: false } scalar ? Suggestions.Hint(scalar.Value, Values) : "";
}

/// <summary>
/// A probability distribution written as text, such as <c>lognormal(0, 0.25)</c> or a bare constant
/// <c>0.5</c>. The text is kept as a string for the kernel's distribution parser; here only its shape
/// is checked: a known family name and a parenthesised list of finite numbers.
/// </summary>
/// <summary>
/// A distribution written as text, such as <c>lognormal(0, 0.25)</c> or a bare constant, checked by the
/// same parser the simulator uses (Sim.Core.Randomness.Distributions), so argument counts and ranges
/// are validated up front; optionally limited to some families.
/// </summary>
public sealed class DistributionSchema(params string[] families) : ScalarSchema
{
    public IReadOnlyList<string> Families { get; } = families;

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
        if (!Sim.Core.Randomness.Distributions.TryParse(scalar.Value, out var parsed, out var error)) return error;
        if (Families.Count > 0 && parsed is not Sim.Core.Randomness.Deterministic)
        {
            string family = parsed!.ToString()!.Split('(')[0];
            if (!Families.Contains(family, StringComparer.Ordinal) && !Families.Contains(scalar.Value.Split('(')[0].Trim(), StringComparer.Ordinal))
                return $"family '{family}' is not allowed here";
        }
        return null;
    }
}

/// <summary>Writes bounds the way error messages and docs phrase them.</summary>
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
