using System.Text;

namespace Sim.Scenarios.Yaml;

/// <summary>
/// An immutable YAML tree node that remembers where it was written, like a parcel that keeps its
/// sender's address: when a value is copied into another tree (a sweep override into a scenario),
/// errors about it still point at the file and line it came from.
/// </summary>
public abstract class YamlNode
{
    public SourceLocation Location { get; }

    protected YamlNode(SourceLocation location) => Location = location;

    /// <summary>Short human description used in "got ..." parts of error messages.</summary>
    public abstract string Describe();

    /// <summary>Canonical one-line flow rendering: equal trees give equal text (used for stable ids).</summary>
    public abstract void WriteCanonical(StringBuilder output);

    public string ToCanonicalString()
    {
        var text = new StringBuilder();
        WriteCanonical(text);
        return text.ToString();
    }
}

/// <summary>A leaf value as written in the file; quoted values are never read as numbers.</summary>
public sealed class YamlScalar : YamlNode
{
    public string Value { get; }
    public bool IsQuoted { get; }

    public YamlScalar(string value, bool isQuoted, SourceLocation location) : base(location)
    {
        Value = value;
        IsQuoted = isQuoted;
    }

    /// <summary>True for an unquoted empty value, <c>~</c> or <c>null</c>: YAML's ways of writing "nothing".</summary>
    public bool IsNull => !IsQuoted && (Value.Length == 0 || Value == "~" || Value == "null" || Value == "Null" || Value == "NULL");

    public override string Describe() =>
        IsNull ? "nothing (empty value)" : IsQuoted ? $"string \"{Clip(Value)}\"" : $"'{Clip(Value)}'";

    private static string Clip(string text) => text.Length <= 40 ? text : text[..37] + "...";

    public override void WriteCanonical(StringBuilder output)
    {
        if (IsQuoted) output.Append('"').Append(Value.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
        else output.Append(Value);
    }
}

/// <summary>An ordered list of nodes (<c>- a</c> or <c>[a, b]</c>).</summary>
public sealed class YamlSequence : YamlNode
{
    public IReadOnlyList<YamlNode> Items { get; }

    public YamlSequence(IReadOnlyList<YamlNode> items, SourceLocation location) : base(location) => Items = items;

    public override string Describe() => $"a list of {Items.Count} item{(Items.Count == 1 ? "" : "s")}";

    public override void WriteCanonical(StringBuilder output)
    {
        output.Append('[');
        for (int i = 0; i < Items.Count; i++)
        {
            if (i > 0) output.Append(", ");
            Items[i].WriteCanonical(output);
        }
        output.Append(']');
    }
}

/// <summary>One <c>key: value</c> pair of a mapping; the key keeps its own location for "unknown key" errors.</summary>
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
