using Sim.Scenarios.Training;

namespace Sim.Scenarios.Tests;

/// <summary>The run-cost estimate of a ZeRO-3 pipeline scenario counts its FSDP units' collectives (every layer's
/// two all-gathers and one reduce-scatter per micro-batch), so it stays an upper estimate of the events a run takes.</summary>
public sealed class Zero3EventEstimateTests
{
    private static string Yaml(int zero) =>
        "name: t\ncluster: {preset: dgx-h100, nodes: 2}\nmodel: {gpt: {layers: 4, hidden: 2048, heads: 16, sequence: 2048}}\n" +
        "compute: {model: kernels, precision: bf16}\nnetwork: {backend: analytical}\n" +
        $"training: {{mode: pipeline, micro_batch: 1, iterations: 1}}\npipeline: {{stages: 1, microbatches: 2, data_parallel: 16, zero_stage: {zero}}}\noutputs: {{timeline: false, report: false}}\n";

    [Fact]
    public void The_estimate_counts_the_units_collectives_and_bounds_the_events_the_run_takes()
    {
        var z3 = TrainingScenario.Parse(Yaml(3), "s.yaml");
        var z1 = TrainingScenario.Parse(Yaml(1), "s.yaml");
        double estimate = z3.Mode.EstimateIteration(z3, 1).Events;
        Assert.True(estimate > 10 * z1.Mode.EstimateIteration(z1, 1).Events, "per-layer collectives dominate");
        double events = RunMetrics.Of(ScenarioRunner.Run(z3)).First(kv => kv.Key == "kernel_events").Value;
        Assert.InRange(estimate / events, 1, 4); // an upper estimate, within a small factor of the run
    }
}
