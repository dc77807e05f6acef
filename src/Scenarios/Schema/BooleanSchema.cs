using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// A yes/no tick box that only accepts <c>true</c> or <c>false</c> (YAML 1.2 core), so the YAML 1.1
/// surprises "yes", "on" and "no" are errors rather than silently read.
/// </summary>
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
