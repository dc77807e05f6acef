using Sim.Scenarios.Schema;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios;

/// <summary>
/// A validated input file with typed accessors, like a form that a clerk has already checked: every
/// value is known to be of the right kind and in range, missing optional values read as their
/// documented defaults, and every value can still say which file and line it came from.
/// </summary>
public sealed class ScenarioDocument
{
    public YamlMapping Root { get; }
    public MapSchema Schema { get; }
    public string File { get; }

    /// <summary>The top-level section; all typed accessors start here.</summary>
    public ScenarioSection Section { get; }

    private ScenarioDocument(YamlMapping root, MapSchema schema, string file)
    {
        Root = root;
        Schema = schema;
        File = file;
        Section = new ScenarioSection(root, schema, "", root.Location);
    }

    public static ScenarioDocument Load(string path, MapSchema schema) => FromTree(YamlTreeReader.ReadFile(path), schema);

    public static ScenarioDocument Parse(string text, string fileName, MapSchema schema) =>
        FromTree(YamlTreeReader.Parse(text, fileName), schema);

    /// <summary>Validates a tree (possibly edited by overrides); throws listing every problem.</summary>
    public static ScenarioDocument FromTree(YamlNode tree, MapSchema schema)
    {
        var errors = new List<ScenarioError>();
        schema.Validate(tree, "", errors);
        if (errors.Count > 0) throw new ScenarioException(errors);
        var root = (YamlMapping)tree;
        return new ScenarioDocument(root, schema, root.Location.File);
    }

    public long GetLong(string path) => Section.GetLong(path);
    public int GetInt(string path) => Section.GetInt(path);
    public double GetDouble(string path) => Section.GetDouble(path);
    public bool GetBool(string path) => Section.GetBool(path);
    public string GetString(string path) => Section.GetString(path);
    public bool Has(string path) => Section.Has(path);
}
