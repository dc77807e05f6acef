using System.Globalization;
using System.Numerics;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// Whole numbers, optionally bounded, like the "number of guests" box on a booking form: no
/// fractions, no words, and quoted text such as <c>"4"</c> is text, not a number.
/// </summary>
/// <remarks>
/// Every integer key is also checked against the type the model stores it in: a 32-bit int unless
/// the schema says <paramref name="wide"/> (seeds). So a value above 2^31-1 is refused here, with the
/// exact text the user wrote, instead of wrapping around or overflowing later in a conversion.
/// </remarks>
public sealed class IntegerSchema(long? min = null, long? max = null, bool wide = false) : ScalarSchema
{
    public long? Min { get; } = min;
    public long? Max { get; } = max;

    /// <summary>True when the model keeps the value as a 64-bit integer; otherwise it must fit an int.</summary>
    public bool Wide { get; } = wide;

    /// <summary>The smallest value the model's type holds.</summary>
    public long TypeMin => Wide ? long.MinValue : int.MinValue;

    /// <summary>The largest value the model's type holds.</summary>
    public long TypeMax => Wide ? long.MaxValue : int.MaxValue;

    public override string Expected => "an integer" + RangeText.Of(Min, Max, false, false);

    public override string? TryConvert(YamlScalar scalar, out object value)
    {
        value = 0L;
        if (scalar.IsQuoted || !long.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long number)) return "not an integer";
        if (number < Min || number > Max || number < TypeMin || number > TypeMax) return "out of range";
        value = number;
        return null;
    }

    /// <summary>Says why a whole number the user wrote is still refused: it does not fit the type.</summary>
    protected override string HintFor(YamlNode node)
    {
        if (node is not YamlScalar { IsQuoted: false } scalar
            || !BigInteger.TryParse(scalar.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)) return "";
        long hi = Math.Min(Max ?? long.MaxValue, TypeMax), lo = Math.Max(Min ?? long.MinValue, TypeMin);
        if (number > hi && Max is null) return $" (the largest value this key takes is {hi.ToString(CultureInfo.InvariantCulture)})";
        if (number < lo && Min is null) return $" (the smallest value this key takes is {lo.ToString(CultureInfo.InvariantCulture)})";
        return "";
    }
}
