using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// Accepts any value, like an "other remarks" box; used where a later stage validates (sweep values,
/// inline scenarios, which are checked against the scenario schema after expansion).
/// </summary>
public sealed class AnySchema : SchemaNode
{
    public override string Expected => "any value";

    public override void Validate(YamlNode node, string path, List<ScenarioError> errors) { }
}
