using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// A schema for single values, like a box on a form that takes one entry: after validation it
/// converts the written text into a typed value (long, double, bool or string).
/// </summary>
public abstract class ScalarSchema : SchemaNode
{
    public sealed override void Validate(YamlNode node, string path, List<ScenarioError> errors)
    {
        if (node is not YamlScalar scalar || scalar.IsNull || TryConvert(scalar, out _) is not null)
            Fail(errors, node, path);
    }

    /// <summary>Converts a valid scalar; returns null on success or a short reason on failure.</summary>
    public abstract string? TryConvert(YamlScalar scalar, out object value);

    public object Convert(YamlScalar scalar) =>
        TryConvert(scalar, out var value) is null ? value : throw new InvalidOperationException($"{scalar.Location}: value was not validated");
}
