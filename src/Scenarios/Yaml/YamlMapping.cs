using System.Text;

namespace Sim.Scenarios.Yaml;

/// <summary>
/// A mapping with unique scalar keys in file order, like an index card of labelled fields. Each
/// <see cref="YamlEntry"/> is one <c>key: value</c> pair of a mapping; the key keeps its own location for "unknown key" errors.
/// </summary>
public sealed record YamlEntry(YamlScalar Key, YamlNode Value);

/// <summary>A mapping with unique scalar keys, kept in file order.</summary>
public sealed class YamlMapping : YamlNode
{
    public IReadOnlyList<YamlEntry> Entries { get; }

    public YamlMapping(IReadOnlyList<YamlEntry> entries, SourceLocation location) : base(location) => Entries = entries;

    public YamlNode? this[string key] => Find(key)?.Value;

    public YamlEntry? Find(string key)
    {
        foreach (var entry in Entries)
            if (entry.Key.Value == key) return entry;
        return null;
    }

    /// <summary>A copy with <paramref name="key"/> set to <paramref name="value"/> (replaced in place, or appended).</summary>
    public YamlMapping With(YamlScalar key, YamlNode value)
    {
        var entries = new List<YamlEntry>(Entries.Count + 1);
        bool replaced = false;
        foreach (var entry in Entries)
        {
            if (entry.Key.Value == key.Value) { entries.Add(new YamlEntry(entry.Key, value)); replaced = true; }
            else entries.Add(entry);
        }
        if (!replaced) entries.Add(new YamlEntry(key, value));
        return new YamlMapping(entries, Location);
    }

    public override string Describe() => Entries.Count == 0 ? "an empty mapping" : $"a mapping with keys {string.Join(", ", Entries.Take(4).Select(e => e.Key.Value))}{(Entries.Count > 4 ? ", ..." : "")}";

    public override void WriteCanonical(StringBuilder output)
    {
        output.Append('{');
        bool first = true;
        foreach (var entry in Entries.OrderBy(e => e.Key.Value, StringComparer.Ordinal))
        {
            if (!first) output.Append(", ");
            first = false;
            entry.Key.WriteCanonical(output);
            output.Append(": ");
            entry.Value.WriteCanonical(output);
        }
        output.Append('}');
    }
}
