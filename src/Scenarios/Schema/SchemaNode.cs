using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// One piece of a declarative schema, like a line on a paper form that says what may be written in
/// its box. The same description validates input files and generates their reference documentation,
/// so the two cannot drift apart.
/// </summary>
public abstract class SchemaNode
{
    /// <summary>What a value of this kind looks like, phrased to follow "expected": "an integer > 0".</summary>
    public abstract string Expected { get; }

    /// <summary>Checks <paramref name="node"/>, adding every problem to <paramref name="errors"/>.</summary>
    public abstract void Validate(YamlNode node, string path, List<ScenarioError> errors);

    /// <summary>Extra advice appended to a type error, such as a "did you mean" for a misspelt word.</summary>
    protected virtual string HintFor(YamlNode node) => "";

    protected void Fail(List<ScenarioError> errors, YamlNode node, string path) =>
        errors.Add(new ScenarioError(node.Location, path, $"expected {Expected}, got {node.Describe()}{HintFor(node)}"));
}

/// <summary>A schema for single values; after validation it converts the text into a typed value.</summary>
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
