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
