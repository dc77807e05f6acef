using Sim.Scenarios.Schema;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// A sweep file, like a design-of-experiments sheet: a base scenario (a file named by <c>base:</c> or
/// written inline under <c>scenario:</c>), a <c>grid:</c> of key paths with value lists whose cartesian
/// product gives points, a <c>list:</c> of hand-picked points, and how many seeded replications to run
/// of each. Its own format is checked by the same schema machinery as scenarios.
/// </summary>
public sealed class SweepSpec
{
    public static readonly MapSchema FileSchema = new(
        Field.Opt("name", Schemas.FolderName(), "Label used in outputs."),
        Field.Opt("base", Schemas.String(), "Scenario file the points start from, relative to the sweep file."),
        Field.Opt("scenario", Schemas.Dictionary(Schemas.Any()), "Inline base scenario (instead of base)."),
        Field.Opt("grid", Schemas.Dictionary(Schemas.List(Schemas.Any(), minItems: 1), minEntries: 1),
            "Key path -> list of values; every combination becomes a point."),
        Field.Opt("list", Schemas.List(Schemas.Dictionary(Schemas.Any(), minEntries: 1), minItems: 1),
            "Extra points, each a mapping of key path -> value."),
        Field.Opt("replications", Schemas.Integer(min: 1, max: 100_000), "Seeded runs per point.", "1"),
        Field.Opt("seed", Schemas.Long(min: 0), "Base seed; each run's seed is derived from it, the point and the replication.", "1"))
    {
        Check = CheckBase,
    };

    /// <summary>The reference page for sweep files (docs/sweep-schema.md), generated from <see cref="FileSchema"/>.</summary>
    public static string ReferenceMarkdown() => SchemaMarkdown.Write(FileSchema, "Sweep file reference",
        """
        A sweep file runs one scenario many times with some keys changed. `grid` keys are key paths into
        the scenario (`cluster.nodes`, `workers[0].speed`); every combination of their values is a point,
        the first key varying slowest. `list` adds hand-picked points. Each point runs `replications`
        times with seeds derived from `seed`, the point and the replication. Every point is validated
        against the scenario schema before anything runs; errors name the sweep file line of the value.
        Run with `sim sweep run SWEEP.yaml [--shard i/n] [--out DIR] [--jobs N]`, on Slurm with
        `sim sweep slurm SWEEP.yaml --shards n --out DIR`, and combine shards with `sim sweep merge DIR`.
        """);

    public string File { get; }
    public string Name { get; }
    public YamlMapping BaseScenario { get; }
    public IReadOnlyList<(KeyPath Path, YamlScalar Key, IReadOnlyList<YamlNode> Values)> Grid { get; }
    public IReadOnlyList<IReadOnlyList<(KeyPath Path, YamlScalar Key, YamlNode Value)>> List { get; }
    public int Replications { get; }
    public ulong Seed { get; }

    private SweepSpec(string file, string name, YamlMapping baseScenario,
        IReadOnlyList<(KeyPath, YamlScalar, IReadOnlyList<YamlNode>)> grid,
        IReadOnlyList<IReadOnlyList<(KeyPath, YamlScalar, YamlNode)>> list, int replications, ulong seed)
    {
        File = file; Name = name; BaseScenario = baseScenario; Grid = grid; List = list; Replications = replications; Seed = seed;
    }

    public static SweepSpec Load(string path) => FromTree(YamlTreeReader.ReadFile(path), path);

    public static SweepSpec Parse(string text, string fileName) => FromTree(YamlTreeReader.Parse(text, fileName), fileName);

    private static SweepSpec FromTree(YamlNode tree, string path)
    {
        var document = ScenarioDocument.FromTree(tree, FileSchema);
        var root = document.Root;
        var errors = new List<ScenarioError>();

        YamlMapping baseScenario;
        if (root["base"] is YamlScalar baseName)
        {
            string basePath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, baseName.Value);
            if (!System.IO.File.Exists(basePath))
                throw new ScenarioException(new ScenarioError(baseName.Location, "base", $"expected an existing scenario file, got '{baseName.Value}' (looked for {basePath})"));
            var baseTree = YamlTreeReader.ReadFile(basePath);
            baseScenario = baseTree as YamlMapping
                ?? throw new ScenarioException(new ScenarioError(baseTree.Location, "", $"expected a mapping, got {baseTree.Describe()}"));
        }
        else baseScenario = (YamlMapping)root["scenario"]!;

        var grid = new List<(KeyPath, YamlScalar, IReadOnlyList<YamlNode>)>();
        if (root["grid"] is YamlMapping gridNode)
            foreach (var entry in gridNode.Entries)
                if (ParseKey(entry.Key, "grid", errors) is { } key)
                    grid.Add((key, entry.Key, ((YamlSequence)entry.Value).Items));

        var list = new List<IReadOnlyList<(KeyPath, YamlScalar, YamlNode)>>();
        if (root["list"] is YamlSequence listNode)
            for (int i = 0; i < listNode.Items.Count; i++)
            {
                var point = new List<(KeyPath, YamlScalar, YamlNode)>();
                foreach (var entry in ((YamlMapping)listNode.Items[i]).Entries)
                    if (ParseKey(entry.Key, $"list[{i}]", errors) is { } key)
                        point.Add((key, entry.Key, entry.Value));
                list.Add(point);
            }
        if (errors.Count > 0) throw new ScenarioException(errors);

        string name = document.Has("name") ? document.GetString("name") : Path.GetFileNameWithoutExtension(path);
        return new SweepSpec(path, name, baseScenario, grid, list, document.GetInt("replications"), (ulong)document.GetLong("seed"));
    }

    private static KeyPath? ParseKey(YamlScalar key, string parent, List<ScenarioError> errors)
    {
        var parsed = KeyPath.TryParse(key.Value, out var problem);
        if (parsed is null) errors.Add(new ScenarioError(key.Location, KeyPath.Child(parent, key.Value), problem!));
        return parsed;
    }

    private static void CheckBase(YamlMapping sweep, string path, List<ScenarioError> errors)
    {
        bool hasBase = sweep.Find("base") is not null, hasInline = sweep.Find("scenario") is not null;
        if (hasBase == hasInline)
            errors.Add(new ScenarioError(sweep.Location, "base",
                hasBase ? "expected either base or scenario, got both" : "expected base (a scenario file) or scenario (an inline scenario), got neither"));
    }
}
