using Sim.Core;
using Sim.Models.Faults;
using Sim.Models.Training;
using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests.Registries;

/// <summary>
/// The <c>failures:</c> section in pipeline (3D) mode: it reaches the pipeline configuration with Young's
/// interval at the MTBF of the GPUs the layout uses, a run loses work to failures and pays checkpoints,
/// the same seed gives the same run, and bad keys are refused where they stand.
/// </summary>
public sealed class PipelineFailuresTests
{
    /// <summary>A small GPT as p=2 x t=2 x d=2 (8 GPUs) on two DGX A100s (16 GPUs).</summary>
    private static string Yaml(string failures, int iterations = 4000) =>
        "name: t\nseed: 3\ncluster: {preset: dgx-a100, nodes: 2}\nmodel: {gpt: {layers: 8, hidden: 512, heads: 8, sequence: 256}}\nnetwork: {backend: flow}\n" +
        $"training: {{mode: pipeline, micro_batch: 1, iterations: {iterations}}}\npipeline: {{stages: 2, microbatches: 4, tensor_parallel: 2, data_parallel: 2}}\n" +
        $"failures: {failures}\noutputs: {{timeline: false, report: false}}\n";

    private static TrainingResult Run(TrainingScenario s)
    {
        var sim = new Simulation(s.Seed);
        var run = s.Mode.Build(s, sim);
        return TrainingJob.RunToEnd(sim, run.Job);
    }

    [Fact]
    public void Youngs_interval_is_taken_at_the_MTBF_of_the_layouts_gpus()
    {
        var s = TrainingScenario.Parse(Yaml("{gpu_mtbf_hours: 1, detection_s: 1, restart_s: 2, checkpoint_s: 2}"), "f.yaml");
        var f = s.Pipeline!.Failures!;
        // 8 GPUs of 3,600 s on one node that never fails: job MTBF 450 s, Young sqrt(2 x 2 x 450) = 42.4 s.
        Assert.Equal(Math.Sqrt(2 * 2 * 450.0), f.CheckpointIntervalSeconds, 9);
        var given = TrainingScenario.Parse(Yaml("{gpu_mtbf_hours: 1, detection_s: 1, restart_s: 2, checkpoint_s: 2, checkpoint_interval_s: 7}"), "f.yaml");
        Assert.Equal(7, given.Pipeline!.Failures!.CheckpointIntervalSeconds);
    }

    [Fact]
    public void A_run_loses_work_to_failures_and_the_seed_fixes_it()
    {
        // Per-GPU MTBF short against the run so failures happen; the iterations all take the same time.
        var s = TrainingScenario.Parse(Yaml("{gpu_mtbf_hours: 0.02, detection_s: 1, restart_s: 2, checkpoint_s: 0.5}", iterations: 6000), "f.yaml");
        var a = Run(s);
        var free = Run(s with { Pipeline = s.Pipeline! with { Failures = null } });
        Assert.True(a.Failures > 0, $"no failures in {a.JobTime} s");
        Assert.True(a.Checkpoints > 0);
        Assert.Equal(0, free.Failures);
        // Every iteration is committed once, the job takes longer by exactly checkpoints + failure loss.
        Assert.Equal(free.IterationTimes.Count, a.IterationTimes.Count);
        Assert.Equal(a.JobTime, free.JobTime + a.Breakdown.Checkpoint + a.Breakdown.FailureLoss, 1e-6 * a.JobTime);
        Assert.True(a.Goodput < 1);
        var b = Run(s);
        Assert.Equal(a.JobTime, b.JobTime);
        Assert.Equal(a.Failures, b.Failures);
        Assert.Equal(a.Breakdown, b.Breakdown);
    }

    [Fact]
    public void Checkpoint_time_follows_from_the_models_bytes_over_the_storage_bandwidth()
    {
        // GPT-2 1.5B (the zoo's 1.56e9 parameters with the 50,257-token embedding and 1,024 positions):
        // 14 bytes each (bf16 weights + fp32 master, momentum, variance) = 21.8 GB; at 5 GB/s 4.4 s.
        string yaml = "name: t\ncluster: {preset: dgx-h100, nodes: 2}\nmodel: {zoo: gpt2_1.5b}\nnetwork: {backend: flow}\n" +
            "training: {mode: pipeline, micro_batch: 1, iterations: 10}\npipeline: {stages: 4, microbatches: 8, tensor_parallel: 2, data_parallel: 2}\n" +
            "failures: {gpu_mtbf_hours: 100, checkpoint_gb_per_s: 5}\n";
        var s = TrainingScenario.Parse(yaml, "c.yaml");
        Assert.InRange(s.Model.Parameters, 1.55e9, 1.57e9);
        Assert.Equal(s.Model.Parameters * 14 / 5e9, s.Pipeline!.Failures!.CheckpointSeconds, 9);
        Assert.InRange(s.Pipeline.Failures.CheckpointSeconds, 4.3, 4.4);
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(yaml.Replace("checkpoint_gb_per_s: 5", "checkpoint_gb_per_s: 5, checkpoint_s: 3"), "c.yaml"));
        Assert.Matches(@"^c\.yaml:7:\d+: failures\.checkpoint_gb_per_s: give checkpoint_s \(the time\) or checkpoint_gb_per_s", e.Message);
    }

    [Theory]
    [InlineData("{gpu_mtbf_hours: 1, restart: 30}", @"^f\.yaml:8:\d+: failures\.restart: unknown key 'restart' \(did you mean 'restart_s'\?\)")]
    [InlineData("{gpu_mtbf_hours: -1}", @"^f\.yaml:8:\d+: failures\.gpu_mtbf_hours: expected a number")]
    [InlineData("{detection_s: 5}", @"^f\.yaml:8:\d+: failures\.gpu_mtbf_hours: give gpu_mtbf_hours and/or node_mtbf_hours")]
    public void Bad_failure_keys_are_refused_at_the_key(string failures, string pattern)
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml(failures), "f.yaml"));
        Assert.Matches(pattern, e.Message);
    }
}
