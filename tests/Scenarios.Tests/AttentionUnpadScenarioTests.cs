using Sim.Models.Workloads;
using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

/// <summary>model.attention_unpad: llm-foundry's varlen flash path as a scenario key.</summary>
public sealed class AttentionUnpadScenarioTests
{
    private static string Yaml(string attention) =>
        "name: x\ncluster: {preset: dgx-h100, nodes: 1}\n" +
        $"model: {{gpt: {{layers: 2, hidden: 1024, heads: 16, sequence: 1024, vocabulary: 32000}}, {attention}}}\n" +
        "training: {mode: data_parallel, micro_batch: 2, iterations: 1}\noutputs: {timeline: false, report: false}\n";

    [Fact]
    public void The_key_puts_the_copies_around_the_fused_kernel()
    {
        var names = TrainingScenario.Parse(Yaml("attention: flash2, attention_unpad: true"), "s.yaml").Model.Layers
            .First(l => l.Kind == "attention").Kernels!.Select(k => k.Name).ToArray();
        int attention = Array.IndexOf(names, "attention");
        Assert.Equal("attention_unpad_qkv", names[attention - 1]);
        Assert.Equal("attention_pad_output", names[attention + 1]);
        // Off by default.
        Assert.DoesNotContain("attention_unpad_qkv", TrainingScenario.Parse(Yaml("attention: flash2"), "s.yaml").Model.Layers
            .First(l => l.Kind == "attention").Kernels!.Select(k => k.Name));
    }

    [Fact]
    public void Unfused_attention_with_unpadding_is_refused_at_the_key()
    {
        var message = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml("attention: unfused, attention_unpad: true"), "s.yaml")).Message;
        Assert.StartsWith("s.yaml:3:", message);
        Assert.Contains("attention_unpad", message);
        Assert.Contains("needs flash attention", message);
    }
}
