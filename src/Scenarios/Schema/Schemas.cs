namespace Sim.Scenarios.Schema;

/// <summary>
/// Short factory names for writing schemas as readable declarations, like the legend of a form:
/// <c>Schemas.Map(Field.Req("nodes", Schemas.Integer(min: 1), "..."))</c>.
/// </summary>
public static class Schemas
{
    public static MapSchema Map(params Field[] fields) => new(fields);
    public static IntegerSchema Integer(long? min = null, long? max = null) => new(min, max);
    /// <summary>A 64-bit integer (seeds); plain <see cref="Integer"/> keys must fit a 32-bit int.</summary>
    public static IntegerSchema Long(long? min = null, long? max = null) => new(min, max, wide: true);
    public static NumberSchema Number(double? min = null, double? max = null) => new(min, max);
    /// <summary>A number strictly greater than zero (durations, rates, sizes).</summary>
    public static NumberSchema Positive(double? max = null) => new(0, max, minExclusive: true);
    /// <summary>A number in [0, 1] (probabilities, fractions, efficiencies).</summary>
    public static NumberSchema Fraction() => new(0, 1);
    /// <summary>A name that becomes a single folder name (scenario and sweep names).</summary>
    public static FolderNameSchema FolderName() => new();
    public static BooleanSchema Boolean() => new();
    public static StringSchema String() => new();
    public static EnumSchema Enum(params string[] values) => new(values);
    public static DistributionSchema Distribution(params string[] families) => new(families);
    public static ListSchema List(SchemaNode item, int minItems = 0) => new(item, minItems);
    public static DictionarySchema Dictionary(SchemaNode value, int minEntries = 0) => new(value, minEntries);
    public static AnySchema Any() => new();
}
