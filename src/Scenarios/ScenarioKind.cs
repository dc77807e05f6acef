using Sim.Scenarios.Yaml;

namespace Sim.Scenarios;

/// <summary>Which kind of scenario a file holds: a federated scenario has a top-level
/// <c>federated:</c> section; everything else is a training scenario.</summary>
public enum ScenarioKind { Training, Federated }

public static class ScenarioKinds
{
    public static ScenarioKind Detect(string path) => Detect(YamlTreeReader.ReadFile(path));

    public static ScenarioKind Detect(YamlNode tree) =>
        tree is YamlMapping map && map["federated"] is not null ? ScenarioKind.Federated : ScenarioKind.Training;
}
