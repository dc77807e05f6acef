using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

/// <summary>model.attention: flash2 runs where the FlashAttention-2 kernel's speed relative to the
/// device's attention figures is measured (A100, H100, H200) and is refused, at the key, elsewhere.</summary>
public sealed class FlashAttention2ScenarioTests
{
    [Theory]
    [InlineData("dgx-a100", null)]
    [InlineData("dgx-h100", null)]
    [InlineData("dgx-h200", null)]
    [InlineData("gb200-nvl72", "model.attention: flash2 needs the FlashAttention-2 kernel's measured speed relative to")]
    public void Flash2_runs_where_its_speed_is_measured_and_is_refused_elsewhere(string preset, string? expected)
    {
        string yaml = $"name: x\ncluster: {{preset: {preset}, nodes: 1}}\n" +
                      "model: {gpt: {layers: 2, hidden: 1024, heads: 8, sequence: 1024, vocabulary: 32000}, attention: flash2}\n" +
                      "training: {mode: data_parallel, micro_batch: 2, iterations: 1}\noutputs: {timeline: false, report: false}\n";
        if (expected is null) Assert.NotNull(TrainingScenario.Parse(yaml, "s.yaml"));
        else
        {
            var message = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(yaml, "s.yaml")).Message;
            Assert.StartsWith("s.yaml:3:", message); // located at the attention key's line
            Assert.Contains(expected, message);
        }
    }
}
