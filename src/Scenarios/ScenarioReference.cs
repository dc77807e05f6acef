using Sim.Scenarios.Federated;
using Sim.Scenarios.Schema;
using Sim.Scenarios.Training;

namespace Sim.Scenarios;

/// <summary>The reference pages of the scenario formats, generated from the schemas themselves
/// (docs/scenario-schema.md and docs/federated-scenario-schema.md).</summary>
public static class ScenarioReference
{
    public static string TrainingMarkdown() => SchemaMarkdown.Write(TrainingScenarioSchema.Root, "Training scenario files",
        "Every key of a training scenario (`sim run FILE.yaml`), generated from the schema that validates it. " +
        "Unknown keys, wrong types and out-of-range values are errors naming the file, line, column and key path (exit code 2). " +
        "Distributions are written as text, e.g. `lognormal(0, 0.05)`; inside a YAML flow mapping (`{...}`) quote them, because of the comma. " +
        "Ready examples: scenarios/*.yaml.");

    public static string FederatedMarkdown() => SchemaMarkdown.Write(FederatedScenarioSchema.Root, "Federated scenario files",
        "Every key of a federated-learning scenario (a file with a top-level `federated:` section), generated from its schema. " +
        "Model and protocol details: docs/federated.md; the device trace format: docs/federated-trace-format.md.");
}
