using Sim.Scenarios.Schema;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios;

/// <summary>
/// A typed view of one mapping of a validated document, like one page of a checked form: ask for
/// <c>GetDouble("link.bandwidth")</c> and get the number, or the schema default when the key is
/// absent. Asking for a key the schema does not declare is a programming error and throws.
/// </summary>
public sealed class ScenarioSection
{
    private readonly YamlMapping? _mapping;
    private readonly SourceLocation _fallbackLocation;

    public MapSchema Schema { get; }

    /// <summary>The key path of this section in the document ("" for the root).</summary>
    public string Path { get; }

    internal ScenarioSection(YamlMapping? mapping, MapSchema schema, string path, SourceLocation fallbackLocation)
    {
        _mapping = mapping;
        Schema = schema;
        Path = path;
        _fallbackLocation = fallbackLocation;
    }

    public long GetLong(string path) => (long)Scalar(path);
    public int GetInt(string path) => checked((int)(long)Scalar(path));
    public double GetDouble(string path) => (double)Scalar(path);
    public bool GetBool(string path) => (bool)Scalar(path);
    /// <summary>Strings, enum words and distribution texts.</summary>
    public string GetString(string path) => (string)Scalar(path);

    /// <summary>True when the key is written in the file (defaults do not count).</summary>
    public bool Has(string path) => Locate(path).Node is not null;

    /// <summary>The raw node written at a key (null when absent), for values the typed accessors do
    /// not cover, such as lists of lists.</summary>
    public YamlNode? NodeAt(string path) => Locate(path).Node;

    /// <summary>Where a key's value is written, or where its parent section is when it is absent.</summary>
    public SourceLocation LocationOf(string path) => Locate(path).Node?.Location ?? _fallbackLocation;

    /// <summary>An error about a key, for checks that need more than the schema (cross-field rules).</summary>
    public ScenarioError ErrorAt(string path, string message) => new(LocationOf(path), KeyPath.Child(Path, path), message);

    public ScenarioSection GetSection(string path)
    {
        var (node, schema, _) = Locate(path);
        if (schema is not MapSchema map) throw Misuse(path, "a mapping");
        return new ScenarioSection(node as YamlMapping, map, KeyPath.Child(Path, path), node?.Location ?? _fallbackLocation);
    }

    /// <summary>A list of mappings, such as a list of node groups.</summary>
    public IReadOnlyList<ScenarioSection> GetSections(string path)
    {
        var (node, schema, _) = Locate(path);
        if (schema is not ListSchema { Item: MapSchema item }) throw Misuse(path, "a list of mappings");
        if (node is not YamlSequence sequence) return Array.Empty<ScenarioSection>();
        string full = KeyPath.Child(Path, path);
        return sequence.Items.Select((n, i) => new ScenarioSection((YamlMapping)n, item, KeyPath.Child(full, i), n.Location)).ToList();
    }

    /// <summary>A list of scalars (numbers, strings) converted by the item schema.</summary>
    public IReadOnlyList<T> GetList<T>(string path)
    {
        var (node, schema, _) = Locate(path);
        if (schema is not ListSchema { Item: ScalarSchema item }) throw Misuse(path, "a list of values");
        if (node is not YamlSequence sequence) return Array.Empty<T>();
        return sequence.Items.Select(n => (T)item.Convert((YamlScalar)n)).ToList();
    }

    /// <summary>A mapping with user-chosen names whose values are mappings.</summary>
    public IReadOnlyDictionary<string, ScenarioSection> GetNamedSections(string path)
    {
        var (node, schema, _) = Locate(path);
        if (schema is not DictionarySchema { Value: MapSchema value }) throw Misuse(path, "a mapping of named sections");
        var result = new Dictionary<string, ScenarioSection>(StringComparer.Ordinal);
        if (node is YamlMapping mapping)
            foreach (var entry in mapping.Entries)
                result.Add(entry.Key.Value, new ScenarioSection((YamlMapping)entry.Value, value, KeyPath.Child(KeyPath.Child(Path, path), entry.Key.Value), entry.Value.Location));
        return result;
    }

    private object Scalar(string path)
    {
        var (node, schema, field) = Locate(path);
        if (schema is not ScalarSchema scalar) throw Misuse(path, "a single value");
        if (node is YamlScalar written) return scalar.Convert(written);
        if (field?.Default is { } text) return scalar.Convert(new YamlScalar(text, false, _fallbackLocation));
        throw new KeyNotFoundException($"{_fallbackLocation}: {KeyPath.Child(Path, path)}: optional key is absent and has no default; check Has() first");
    }

    private (YamlNode? Node, SchemaNode Schema, Field? Field) Locate(string path)
    {
        YamlNode? node = _mapping;
        SchemaNode schema = Schema;
        Field? field = null;
        foreach (var segment in KeyPath.Parse(path).Segments)
        {
            switch (schema)
            {
                case MapSchema map when !segment.IsIndex:
                    field = map.FieldNamed(segment.Key!) ?? throw Misuse(path, $"a key declared by the schema ('{segment.Key}' is not)");
                    schema = field.Schema;
                    node = (node as YamlMapping)?[segment.Key!];
                    break;
                case DictionarySchema dictionary when !segment.IsIndex:
                    field = null;
                    schema = dictionary.Value;
                    node = (node as YamlMapping)?[segment.Key!];
                    break;
                case ListSchema list when segment.IsIndex:
                    field = null;
                    schema = list.Item;
                    node = node is YamlSequence sequence && segment.Index < sequence.Items.Count ? sequence.Items[segment.Index] : null;
                    break;
                default:
                    throw Misuse(path, "a path that follows the schema");
            }
        }
        return (node, schema, field);
    }

    private InvalidOperationException Misuse(string path, string expected) =>
        new($"programming error: '{KeyPath.Child(Path, path)}' is not {expected} in the schema");
}
