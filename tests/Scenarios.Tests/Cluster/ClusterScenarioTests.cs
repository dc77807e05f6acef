using Sim.Models.Cluster;
using Sim.Scenarios.Cluster;
using Sim.Scenarios.Tests.Fixtures;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests.Cluster;

public sealed class ClusterScenarioTests
{
    private const string Minimal = """
        name: c
        cluster: {nodes: 2, gpus_per_node: 4}
        jobs:
          synthetic: {arrival_rate_per_hour: 10, gpus: "empirical(1, 2, 4)", duration_s: "exponential(0.001)", jobs: 50}
        scheduler: {policy: las}
        """;

    private static ScenarioException Bad(string yaml) => Assert.Throws<ScenarioException>(() => ClusterScenario.Parse(yaml, "bad.yaml"));

    [Fact]
    public void MinimalScenarioRunsIntoMemory()
    {
        var s = ClusterScenario.Parse(Minimal, "c.yaml");
        var o = ClusterResults.Run(s);
        Assert.Equal(50, o.Replications[0].Jobs.Count);
        Assert.Equal("las", o.Replications[0].Scheduler);
    }

    [Fact]
    public void CommittedReferenceMatchesTheSchema()
    {
        string path = RepositoryPaths.Docs("cluster-scenario-schema.md");
        string generated = ClusterScenarioSchema.ReferenceMarkdown();
        if (Environment.GetEnvironmentVariable("SIM_UPDATE_DOCS") == "1") File.WriteAllText(path, generated);
        Assert.True(File.Exists(path), $"{path} is missing; run the tests once with SIM_UPDATE_DOCS=1");
        Assert.Equal(generated, File.ReadAllText(path));
        foreach (var name in SchedulerRegistry.Names) Assert.Contains(name, generated);
    }

    [Fact]
    public void UnknownKeysAndPoliciesAreLocated()
    {
        var e = Bad(Minimal.Replace("policy: las", "policy: lottery"));
        Assert.Contains("bad.yaml:5:", e.Message);
        Assert.Contains("scheduler.policy", e.Message);
        Assert.Contains("tiresias", e.Message); // lists the valid names
        e = Bad(Minimal.Replace("nodes: 2,", "nodes: 2, gpu_per_node: 3,"));
        Assert.Contains("bad.yaml:2:", e.Message);
        Assert.Contains("gpu_per_node", e.Message);
    }

    [Fact]
    public void CrossKeyRulesNameTheKey()
    {
        var e = Bad(Minimal.Replace(", jobs: 50", ""));
        Assert.Contains("jobs.synthetic", e.Message);
        Assert.Contains("horizon_days", e.Message);
        e = Bad(Minimal.Replace("duration_s:", "iterations:"));
        Assert.Contains("jobs.synthetic", e.Message);
        e = Bad(Minimal.Replace("gpus_per_node: 4", "preset: dgx-z900"));
        Assert.Contains("cluster.preset", e.Message);
        Assert.Contains("dgx-a100", e.Message);
        e = Bad(Minimal.Replace("cluster: {nodes: 2, gpus_per_node: 4}", "cluster: {nodes: 2, gpus_per_node: 4, gpu_types: [{name: a, nodes: 1}]}"));
        Assert.Contains("cluster.gpu_types", e.Message);
        Assert.Contains("add up to 1", e.Message);
        e = Bad(Minimal.Replace("duration_s: \"exponential(0.001)\"", "iterations: 100, models: [{model: resnet51}]"));
        Assert.Contains("needs cluster.preset", e.Message);
        Assert.Contains("resnet51", e.Message);
    }

    [Fact]
    public void TrainingModelsOnANetworkedClusterGetIterationTimes()
    {
        var s = ClusterScenario.Parse("""
            name: n
            cluster: {preset: dgx-a100, nodes: 8, network: {fabric: fat-tree-2, leaf_down_ports: 16, spines: 2, oversubscription: 4}}
            jobs:
              synthetic: {arrival_rate_per_hour: 20, gpus: "empirical(8, 16, 32)", iterations: 2000, models: [{model: resnet50, batch_per_gpu: 64}], jobs: 40}
            scheduler: {policy: fifo, placement: spread}
            """, "n.yaml");
        var o = ClusterResults.Run(s).Replications[0];
        Assert.Equal(o.Jobs, ClusterResults.Run(s).Replications[0].Jobs); // bit for bit, contention included
        Assert.Equal(40, o.Jobs.Count);
        Assert.True(o.NetworkSolves > 0);
        Assert.Contains(o.Jobs, j => j.LeavesSpanned > 1);
        // A ResNet-50 b64 iteration on an A100 takes tens to hundreds of milliseconds in the roofline model.
        Assert.All(o.Jobs, j => Assert.InRange(j.IdealDuration / j.Work, 0.01, 1));
    }

    [Fact]
    public void SparkHostedModelsNeedBothCostsAndRunSlowerThanDdp()
    {
        string yaml = """
            name: s
            cluster: {preset: dgx-a100, nodes: 2}
            jobs:
              synthetic: {arrival_rate_per_hour: 2, gpus: 8, iterations: 500, models: [{model: resnet50, batch_per_gpu: 64, spark_stage_launch_s: 0.05, spark_task_launch_s: 0.002}], jobs: 5}
            scheduler: {policy: fifo}
            """;
        var spark = ClusterResults.Run(ClusterScenario.Parse(yaml, "s.yaml")).Replications[0];
        var ddp = ClusterResults.Run(ClusterScenario.Parse(yaml.Replace(", spark_stage_launch_s: 0.05, spark_task_launch_s: 0.002", ""), "d.yaml")).Replications[0];
        Assert.True(spark.Jobs.Average(j => j.IdealDuration) > ddp.Jobs.Average(j => j.IdealDuration));
        var e = Bad(yaml.Replace(", spark_task_launch_s: 0.002", ""));
        Assert.Contains("jobs.synthetic.models[0].spark_stage_launch_s", e.Message);
        Assert.Contains("both", e.Message);
    }
}
