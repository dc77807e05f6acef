using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// A list whose items all follow one schema, like the rows of a packing list, with optional
/// bounds on how many rows there may be.
/// </summary>
public sealed class ListSchema(SchemaNode item, int minItems = 0, int maxItems = int.MaxValue) : SchemaNode
{
    public SchemaNode Item { get; } = item;
    public int MinItems { get; } = minItems;
    public int MaxItems { get; } = maxItems;

    public override string Expected =>
        MinItems > 0 ? $"a list of at least {MinItems} item{(MinItems == 1 ? "" : "s")}" : "a list";

    public override void Validate(YamlNode node, string path, List<ScenarioError> errors)
    {
        if (node is not YamlSequence sequence || sequence.Items.Count < MinItems)
        {
            Fail(errors, node, path);
            return;
        }
        if (sequence.Items.Count > MaxItems)
            errors.Add(new ScenarioError(node.Location, path, $"expected at most {MaxItems} items, got {sequence.Items.Count}"));
        for (int i = 0; i < sequence.Items.Count; i++)
            Item.Validate(sequence.Items[i], KeyPath.Child(path, i), errors);
    }
}
