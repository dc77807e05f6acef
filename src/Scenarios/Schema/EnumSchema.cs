using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// One word from a fixed menu, like a multiple-choice box; a near miss gets a "did you mean" hint.
/// </summary>
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
