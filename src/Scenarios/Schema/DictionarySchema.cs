using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// A mapping whose keys the user chooses (names of things), like an address book: any name, but
/// every entry has the same shape.
/// </summary>
public sealed class DictionarySchema(SchemaNode value, int minEntries = 0) : SchemaNode
{
    public SchemaNode Value { get; } = value;
    public int MinEntries { get; } = minEntries;

    public override string Expected => MinEntries > 0 ? $"a mapping with at least {MinEntries} entr{(MinEntries == 1 ? "y" : "ies")}" : "a mapping";

    public override void Validate(YamlNode node, string path, List<ScenarioError> errors)
    {
        if (node is not YamlMapping mapping || mapping.Entries.Count < MinEntries)
        {
            Fail(errors, node, path);
            return;
        }
        foreach (var entry in mapping.Entries)
            Value.Validate(entry.Value, KeyPath.Child(path, entry.Key.Value), errors);
    }
}
