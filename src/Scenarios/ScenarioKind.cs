using Sim.Core.Registries;
using Sim.Scenarios.Federated;
using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios;

/// <summary>
/// The kinds of scenario file. A file is of the first kind that claims it (a federated scenario has a
/// top-level <c>federated:</c> section), else of the default kind, training. Each file is read once:
/// <see cref="Load(string)"/> parses the YAML, picks the kind from the tree and validates that tree.
/// </summary>
public static class ScenarioKinds
{
    public static Registry<IScenarioKind> Registry { get; } = new("scenario kind", new TrainingKind(), new FederatedKind());

    /// <summary>The kind of a file that no other kind claims.</summary>
    public static IScenarioKind Default => Registry.Get(TrainingKind.KindName);

    public static IScenarioKind Detect(YamlNode tree) =>
        tree is YamlMapping map ? Registry.Entries.FirstOrDefault(k => k.Claims(map)) ?? Default : Default;

    /// <summary>Reads <paramref name="path"/> once, detects its kind and validates it against that kind's
    /// schema; bad input throws <see cref="ScenarioException"/> (file, line, column, key path).</summary>
    public static RunnableScenario Load(string path)
    {
        var tree = YamlTreeReader.ReadFile(path);
        var kind = Detect(tree);
        return kind.Load(ScenarioDocument.FromTree(tree, kind.Schema));
    }
}
