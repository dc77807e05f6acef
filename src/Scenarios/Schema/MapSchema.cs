using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Schema;

/// <summary>
/// A mapping with a fixed set of keys, like a form with named boxes: required keys must be present,
/// unknown keys are errors (with a "did you mean" hint), and every value is checked by its field.
/// </summary>
public sealed class MapSchema : SchemaNode
{
    public IReadOnlyList<Field> Fields { get; }

    /// <summary>Optional whole-mapping checks (for example "exactly one of a, b") run after the fields.</summary>
    public Action<YamlMapping, string, List<ScenarioError>>? Check { get; init; }

    public MapSchema(params Field[] fields)
    {
        var duplicates = fields.GroupBy(f => f.Name).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0) throw new ArgumentException($"schema declares keys twice: {string.Join(", ", duplicates)}");
        Fields = fields;
        foreach (var field in fields.Where(f => f.Default is not null))
            if (field.Schema is ScalarSchema scalar && scalar.TryConvert(new YamlScalar(field.Default!, false, default), out _) is not null)
                throw new ArgumentException($"schema default '{field.Default}' for '{field.Name}' is not {scalar.Expected}");
    }

    public override string Expected => "a mapping";

    public Field? FieldNamed(string name) => Fields.FirstOrDefault(f => f.Name == name);

    public override void Validate(YamlNode node, string path, List<ScenarioError> errors)
    {
        if (node is not YamlMapping mapping)
        {
            Fail(errors, node, path);
            return;
        }
        foreach (var entry in mapping.Entries)
        {
            var field = FieldNamed(entry.Key.Value);
            string childPath = KeyPath.Child(path, entry.Key.Value);
            if (field is null)
                errors.Add(new ScenarioError(entry.Key.Location, childPath,
                    $"unknown key '{entry.Key.Value}'{Suggestions.Hint(entry.Key.Value, Fields.Select(f => f.Name))}; expected one of: {string.Join(", ", Fields.Select(f => f.Name))}"));
            else
                field.Schema.Validate(entry.Value, childPath, errors);
        }
        foreach (var field in Fields.Where(f => f.Required && mapping.Find(f.Name) is null))
            errors.Add(new ScenarioError(mapping.Location, KeyPath.Child(path, field.Name),
                $"missing required key; expected {field.Schema.Expected}"));
        Check?.Invoke(mapping, path, errors);
    }
}
