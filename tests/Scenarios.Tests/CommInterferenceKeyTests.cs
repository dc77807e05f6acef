using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

/// <summary>
/// training.comm_sms: the SMs an overlapped gradient all-reduce holds become the speed backward keeps
/// beside it (1 - sms / SMs), by default NCCL's channels on the node; devices without an SM count and
/// impossible counts given explicitly are located errors.
/// </summary>
public sealed class CommInterferenceKeyTests
{
    private static string Yaml(string preset, string sms) => $$$"""
        name: x
        cluster: {preset: {{{preset}}}, nodes: 1}
        model: {gpt: {layers: 2, hidden: 1024, heads: 16, sequence: 1024, vocabulary: 32000}}
        compute: {precision: fp16}
        training: {mode: data_parallel, micro_batch: 1, iterations: 1, comm_sms: {{{sms}}}}
        """;

    [Fact]
    public void Sms_held_by_NCCL_become_the_speed_compute_keeps()
    {
        Assert.Equal(1 - 16.0 / 108, TrainingScenario.Parse(Yaml("dgx-a100", "16"), "s.yaml").DataParallel.CommRetainedSpeed, 12);
        Assert.Equal(1 - 16.0 / 132, TrainingScenario.Parse(Yaml("dgx-h100", "16"), "s.yaml").DataParallel.CommRetainedSpeed, 12);
        Assert.Equal(1, TrainingScenario.Parse(Yaml("dgx-a100", "0"), "s.yaml").DataParallel.CommRetainedSpeed);
    }

    [Fact]
    public void Not_given_the_sms_are_nccls_channels_on_the_node()
    {
        static double Speed(string preset, int nodes) => TrainingScenario.Parse($$$"""
            name: x
            cluster: {preset: {{{preset}}}, nodes: {{{nodes}}}}
            model: {gpt: {layers: 2, hidden: 1024, heads: 16, sequence: 1024, vocabulary: 32000}}
            compute: {precision: fp16}
            training: {mode: data_parallel, micro_batch: 1, iterations: 1}
            """, "s.yaml").DataParallel.CommRetainedSpeed;
        // Across nodes: 2 channels per NIC (8 NICs: 16 SMs, nccl#689).
        Assert.Equal(1 - 16.0 / 132, Speed("dgx-h100", 2), 12);
        Assert.Equal(1 - 16.0 / 108, Speed("dgx-a100", 2), 12);
        // Inside one node: 2 per NVLink (A100: 12 links, 24 channels, nccl#1225), at most NCCL's 32 (H100: 18 links).
        Assert.Equal(1 - 24.0 / 108, Speed("dgx-a100", 1), 12);
        Assert.Equal(1 - 32.0 / 132, Speed("dgx-h100", 1), 12);
        // No SM count: nothing to derive, no interference (and no error: the key was not given).
        Assert.Equal(1, Speed("dgx1-v100", 2));
    }

    [Theory]
    [InlineData("dgx1-v100", "16", "has none")]
    [InlineData("dgx-a100", "108", "must be below the device's 108 SMs")]
    public void Impossible_values_are_located_errors(string preset, string sms, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml(preset, sms), "s.yaml"));
        Assert.StartsWith("s.yaml:5:", e.Message);
        Assert.Contains("training.comm_sms", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Pipeline_ZeRO3_gathers_get_the_same_retained_speed()
    {
        var scenario = TrainingScenario.Parse("""
            name: x
            cluster: {preset: dgx-a100, nodes: 1}
            model: {gpt: {layers: 2, hidden: 1024, heads: 16, sequence: 1024, vocabulary: 32000}}
            training: {mode: pipeline, micro_batch: 1, iterations: 1, comm_sms: 24}
            pipeline: {stages: 1, microbatches: 2, data_parallel: 8, zero_stage: 3}
            """, "s.yaml");
        Assert.Equal(1 - 24.0 / 108, scenario.Pipeline!.CommRetainedSpeed, 12);
    }
}
