using Sim.Models.Compute;
using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

/// <summary>
/// Which compute model a scenario gets: kernel-level costs for transformers and CNNs on GPUs with kernel
/// figures, the roofline for older GPUs and whenever a roofline key is written; and located errors for
/// impossible combinations.
/// </summary>
public sealed class ComputeModelSelectionTests
{
    private static string Yaml(string preset, string model, string compute) => $$"""
        name: x
        cluster: {preset: {{preset}}, nodes: 1}
        model: {{model}}
        compute: {{compute}}
        training: {mode: data_parallel, micro_batch: 1, iterations: 1}
        """;

    private const string Gpt = "{gpt: {layers: 2, hidden: 1024, heads: 16, sequence: 1024, vocabulary: 32000}}";

    [Fact]
    public void Transformers_on_A100_and_H100_get_kernel_level_costs_by_default()
    {
        Assert.IsType<KernelCompute>(TrainingScenario.Parse(Yaml("dgx-a100", Gpt, "{precision: bf16}"), "s.yaml").Compute);
        Assert.IsType<KernelCompute>(TrainingScenario.Parse(Yaml("dgx-h100", "{zoo: llama2_7b}", "{precision: bf16}"), "s.yaml").Compute);
    }

    [Fact]
    public void Cnns_on_A100_get_kernel_level_costs_by_default()
    {
        Assert.IsType<KernelCompute>(TrainingScenario.Parse(Yaml("dgx-a100", "{zoo: resnet50}", "{precision: bf16}"), "s.yaml").Compute);
        Assert.IsType<KernelCompute>(TrainingScenario.Parse(Yaml("dgx-a100", "{layers: [{conv: {out: 16, kernel: 3}}, {relu: {}}, {linear: {out: 10}}]}", "{precision: tf32}"), "s.yaml").Compute);
        Assert.IsType<RooflineCompute>(TrainingScenario.Parse(Yaml("dgx-a100", "{zoo: resnet50}", "{precision: bf16, flop_efficiency: 0.5}"), "s.yaml").Compute);
    }

    [Fact]
    public void NCHW_maps_cost_the_convolutions_layout_transposes_and_are_refused_for_transformers()
    {
        double Step(string format)
        {
            var s = TrainingScenario.Parse(Yaml("dgx-a100", $"{{zoo: resnet50, memory_format: {format}}}", "{precision: tf32}"), "s.yaml");
            return s.Model.Layers.Sum(l => s.Compute.LayerTime(l, Phase.Forward, 32) + s.Compute.LayerTime(l, Phase.Backward, 32));
        }
        Assert.True(Step("nchw") > Step("nhwc") * 1.1, $"nchw {Step("nchw")} vs nhwc {Step("nhwc")}");
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml("dgx-a100", "{zoo: bert_large, memory_format: nchw}", "{precision: bf16}"), "s.yaml"));
        Assert.Contains("s.yaml:3:", e.Message);
        Assert.Contains("model.memory_format: model 'bert_large' has no convolutions", e.Message);
    }

    [Fact]
    public void Older_gpus_and_written_roofline_keys_keep_the_roofline()
    {
        Assert.IsType<RooflineCompute>(TrainingScenario.Parse(Yaml("dgx1-v100", "{zoo: resnet50}", "{precision: fp16}"), "s.yaml").Compute);
        Assert.IsType<RooflineCompute>(TrainingScenario.Parse(Yaml("dgx1-v100", Gpt, "{precision: fp16}"), "s.yaml").Compute);
        Assert.IsType<RooflineCompute>(TrainingScenario.Parse(Yaml("dgx-a100", Gpt, "{precision: bf16, flop_efficiency: 0.5}"), "s.yaml").Compute);
        Assert.IsType<RooflineCompute>(TrainingScenario.Parse(Yaml("dgx-a100", Gpt, "{precision: bf16, model: roofline}"), "s.yaml").Compute);
    }

    [Fact]
    public void Kernels_on_a_gpu_without_kernel_figures_is_a_located_error()
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml("dgx1-v100", Gpt, "{precision: fp16, model: kernels}"), "s.yaml"));
        Assert.Contains("s.yaml:4:", e.Message);
        Assert.Contains("compute.model: V100-SXM2-32GB has no kernel figures", e.Message);
    }

    [Fact]
    public void Kernels_with_a_roofline_key_is_a_located_error()
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml("dgx-a100", Gpt, "{precision: bf16, model: kernels, memory_efficiency: 0.8}"), "s.yaml"));
        Assert.Contains("compute.memory_efficiency: is a roofline setting", e.Message);
    }
}

/// <summary>Transformer variant keys of model.gpt: cross-key rules point at the key to change.</summary>
public sealed class GptVariantKeyTests
{
    [Theory]
    [InlineData("kv_heads: 5", "s.yaml:3:", "model.gpt.kv_heads: transformer")]
    [InlineData("experts: 4, top_k: 6", "s.yaml:3:", "model.gpt.top_k: transformer")]
    public void Cross_key_rules_are_located_at_the_key(string extra, string location, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse($$$"""
            name: x
            cluster: {preset: dgx-a100, nodes: 1}
            model: {gpt: {layers: 2, hidden: 1024, heads: 16, sequence: 512, vocabulary: 32000, {{{extra}}}}}
            training: {mode: data_parallel, micro_batch: 1, iterations: 1}
            """, "s.yaml"));
        Assert.StartsWith(location, e.Message);
        Assert.Contains(expected, e.Message);
    }
}
