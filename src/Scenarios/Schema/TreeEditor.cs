using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// Sets a value deep inside an immutable YAML tree, like a tracked change in a shared document: the
/// original stays intact and a copy carries the edit. Sweeps use it to apply <c>key.path: value</c>
/// overrides; missing intermediate mappings are created, list indices must already exist.
/// </summary>
public static class TreeEditor
{
    /// <summary>
    /// Returns a copy of <paramref name="root"/> with <paramref name="value"/> at <paramref name="path"/>,
    /// or adds an error located at <paramref name="blame"/> and returns the tree unchanged.
    /// </summary>
    public static YamlNode Set(YamlNode root, KeyPath path, YamlNode value, SourceLocation blame, List<ScenarioError> errors)
    {
        var result = SetAt(root, path.Segments, 0, value, blame, errors);
        return result ?? root;
    }

    private static YamlNode? SetAt(YamlNode node, IReadOnlyList<KeyPath.Segment> segments, int depth, YamlNode value, SourceLocation blame, List<ScenarioError> errors)
    {
        if (depth == segments.Count) return value;
        var segment = segments[depth];
        string here = KeyPath.Format(segments.Take(depth + 1));
        if (segment.IsIndex)
        {
            if (node is not YamlSequence sequence || segment.Index >= sequence.Items.Count)
            {
                errors.Add(new ScenarioError(blame, here, $"cannot override: expected an existing list item [{segment.Index}], got {node.Describe()}"));
                return null;
            }
            var child = SetAt(sequence.Items[segment.Index], segments, depth + 1, value, blame, errors);
            if (child is null) return null;
            var items = sequence.Items.ToArray();
            items[segment.Index] = child;
            return new YamlSequence(items, sequence.Location);
        }
        if (node is YamlScalar { IsNull: true } empty) node = new YamlMapping(Array.Empty<YamlEntry>(), empty.Location);
        if (node is not YamlMapping mapping)
        {
            errors.Add(new ScenarioError(blame, here, $"cannot override: expected a mapping above '{segment.Key}', got {node.Describe()}"));
            return null;
        }
        var existing = mapping[segment.Key!] ?? new YamlMapping(Array.Empty<YamlEntry>(), blame);
        var updated = SetAt(existing, segments, depth + 1, value, blame, errors);
        if (updated is null) return null;
        var key = mapping.Find(segment.Key!)?.Key ?? new YamlScalar(segment.Key!, false, blame);
        return mapping.With(key, updated);
    }
}
