using System.Globalization;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// Whole numbers, optionally bounded, like the "number of guests" box on a booking form: no
/// fractions, no words, and quoted text such as <c>"4"</c> is text, not a number.
/// </summary>
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
