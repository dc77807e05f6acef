namespace Sim.Scenarios.Tests.Registries;

/// <summary>Small training scenarios as YAML text, so a test states exactly what it varies.</summary>
internal static class TrainingYaml
{
    /// <summary>ResNet-50 on one DGX A100 (8 GPUs), one replication, no timeline or report.</summary>
    public static string DataParallel(string mode = "data_parallel", string backend = "flow", string extraTraining = "", int iterations = 6) =>
        $"name: t\ncluster: {{preset: dgx-a100, nodes: 1}}\nmodel: {{zoo: resnet50}}\nnetwork: {{backend: {backend}, collective: ring}}\n" +
        $"training: {{mode: {mode}, micro_batch: 32, iterations: {iterations}{extraTraining}}}\noutputs: {{timeline: false, report: false}}\n";

    public static string ParameterServer(string backend) =>
        "name: t\ncluster: {preset: dgx-a100, nodes: 1}\nmodel: {zoo: resnet50}\n" + $"network: {{backend: {backend}}}\n" +
        "training: {mode: parameter_server, micro_batch: 32, iterations: 3}\nparameter_server: {servers: 2}\noutputs: {timeline: false, report: false}\n";

    public static string Pipeline(string backend) =>
        "name: t\ncluster: {preset: dgx-a100, nodes: 1}\nmodel: {gpt: {layers: 8, hidden: 512, heads: 8, sequence: 256}}\n" + $"network: {{backend: {backend}}}\n" +
        "training: {mode: pipeline, micro_batch: 1, iterations: 1}\npipeline: {stages: 4, microbatches: 8}\noutputs: {timeline: false, report: false}\n";
}
