using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Learning.Tests.StatisticalEfficiency;

/// <summary>The time_to_target: section of a training scenario, end to end through the runner.</summary>
public class TimeToTargetScenarioTests
{
    private static string Ps(string consistency, string extra) => $$"""
        name: ttt
        seed: 3
        replications: 2
        cluster: {preset: dgx1-v100, nodes: 1, fabric: single_switch}
        network: {backend: analytical}
        model: {zoo: resnet50}
        compute: {precision: fp16}
        training: {mode: parameter_server, micro_batch: 32, iterations: 6}
        parameter_server: {consistency: {{consistency}}, servers: 2}
        stragglers: {slow_fraction: 0.25, slow_factor: 2.0}
        time_to_target:
          min_steps: 1000
          noise_scale: 4096
        {{extra}}
        """;

    [Fact]
    public void A_synchronous_run_reports_steps_and_time_from_the_noise_scale_model()
    {
        var s = TrainingScenario.Parse(Ps("bsp", ""), "ttt.yaml");
        var outcome = ScenarioRunner.Run(s);
        var metrics = RunMetrics.Of(outcome).ToDictionary(kv => kv.Key, kv => kv.Value);
        double batch = 8 * 32;
        Assert.Equal(1000 * (1 + 4096 / batch), metrics["steps_to_target"], 9);
        double meanIteration = outcome.Replications.Average(r => r.MeanIterationTime);
        Assert.Equal(metrics["steps_to_target"] * meanIteration, metrics["time_to_target_s"], 9);
        Assert.True(metrics.ContainsKey("time_to_target_s_ci95"));
        Assert.Equal((4096 + 32.0) / (4096 + batch), metrics["statistical_efficiency"], 12);
    }

    [Fact]
    public void Asynchronous_updates_pay_for_small_batches_and_staleness()
    {
        var s = TrainingScenario.Parse(Ps("asp", "  step_curvature: 0.5"), "ttt.yaml");
        var outcome = ScenarioRunner.Run(s);
        var metrics = RunMetrics.Of(outcome).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.True(metrics["staleness_mean"] > 0);
        // Each update carries one micro-batch; staleness multiplies its steps by at least the penalty at
        // the smallest mean staleness of the replications.
        double minimum = 1000 * (1 + 4096 / 32.0) * Sim.Models.Learning.StalenessPenalty.StepFactor(outcome.Replications.Min(r => r.MeanStaleness), 0.5);
        Assert.True(metrics["steps_to_target"] >= minimum * (1 - 1e-12), $"{metrics["steps_to_target"]} < {minimum}");
    }

    [Fact]
    public void Stale_modes_without_a_step_curvature_and_local_sgd_are_refused_with_the_key()
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Ps("ssp", ""), "ttt.yaml"));
        Assert.Contains("ttt.yaml:", e.Message);
        Assert.Contains("time_to_target", e.Message);
        Assert.Contains("step_curvature", e.Message);

        var bad = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Ps("asp", "  step_curvature: 1.5"), "ttt.yaml"));
        Assert.Contains("time_to_target.step_curvature", bad.Message);

        string local = Ps("bsp", "").Replace("mode: parameter_server", "mode: local_sgd").Replace("parameter_server: {consistency: bsp, servers: 2}\n", "");
        var l = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(local, "ttt.yaml"));
        Assert.Contains("local SGD", l.Message);
    }
}
