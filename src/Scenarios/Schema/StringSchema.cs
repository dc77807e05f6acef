using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// Free text, like the "name" line of a form: anything goes except leaving it blank.
/// </summary>
public sealed class StringSchema : ScalarSchema
{
    public override string Expected => "a non-empty string";

    public override string? TryConvert(YamlScalar scalar, out object value)
    {
        value = scalar.Value;
        return scalar.Value.Length == 0 ? "empty" : null;
    }
}
