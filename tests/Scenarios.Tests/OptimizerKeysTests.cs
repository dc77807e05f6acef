using Sim.Models.Training;
using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

/// <summary>
/// training.optimizer, optimizer_after_sync, optimizer_batch, sync_cycle_ms and parameter_passes (and model.mixup): read into the data-parallel job; an
/// optimizer batch that is not a multiple of the global batch, or keys given to a mode that does not use
/// them, are located errors.
/// </summary>
public sealed class OptimizerKeysTests
{
    private static string Yaml(string mode, string keys) => $$$"""
        name: x
        cluster: {preset: dgx-a100, nodes: 1}
        model: {zoo: resnet50}
        compute: {precision: fp16}
        training: {mode: {{{mode}}}, workers: 4, micro_batch: 256, iterations: 1{{{keys}}} }
        """;

    [Fact]
    public void The_keys_reach_the_data_parallel_job()
    {
        var dp = TrainingScenario.Parse(Yaml("data_parallel", ", optimizer: sgd_per_tensor, optimizer_after_sync: true, optimizer_batch: 2048, sync_cycle_ms: 5, parameter_passes: pytorch_autocast"), "s.yaml").DataParallel;
        Assert.Equal(ParameterPassKind.PyTorchAutocast, dp.ParameterPasses);
        Assert.Equal(5e-3, dp.SyncCycleSeconds, 15);
        Assert.Equal(OptimizerKind.SgdPerTensor, dp.Optimizer);
        Assert.True(dp.OptimizerAfterHostSync);
        Assert.Equal(2048, dp.OptimizerBatch);
        Assert.Equal(2, dp.IterationsPerOptimizerStep); // 2048 / (4 x 256)
        var plain = TrainingScenario.Parse(Yaml("data_parallel", ""), "s.yaml").DataParallel;
        Assert.Equal(OptimizerKind.Adam, plain.Optimizer);
        Assert.False(plain.OptimizerAfterHostSync);
        Assert.Null(plain.OptimizerBatch);
        Assert.Equal(1, plain.IterationsPerOptimizerStep);
        Assert.Equal(0, plain.SyncCycleSeconds);
        Assert.Equal(ParameterPassKind.None, plain.ParameterPasses);
    }

    [Fact]
    public void Model_mixup_prepends_the_mix_and_is_refused_for_a_model_without_convolutions()
    {
        var mixed = TrainingScenario.Parse(Yaml("data_parallel", "").Replace("model: {zoo: resnet50}", "model: {zoo: resnet50, mixup: true}"), "s.yaml");
        Assert.Equal("input.mixup", mixed.Model.Layers[0].Name);
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(
            Yaml("data_parallel", "").Replace("model: {zoo: resnet50}", "model: {zoo: bert_large, mixup: true}"), "s.yaml"));
        Assert.StartsWith("s.yaml:3:", e.Message);
        Assert.Contains("model.mixup", e.Message);
        Assert.Contains("no convolutions", e.Message);
    }

    [Theory]
    [InlineData("data_parallel", ", optimizer_batch: 1536", "training.optimizer_batch", "multiple of the global batch")]
    [InlineData("data_parallel", ", optimizer_batch: 512", "training.optimizer_batch", "multiple of the global batch")]
    [InlineData("local_sgd", ", optimizer_batch: 2048", "training.optimizer_batch", "data_parallel only")]
    [InlineData("parameter_server", ", optimizer: sgd_per_tensor", "training.optimizer", "data_parallel and local_sgd only")]
    [InlineData("parameter_server", ", sync_cycle_ms: 5", "training.sync_cycle_ms", "data_parallel and local_sgd only")]
    [InlineData("local_sgd", ", parameter_passes: pytorch", "training.parameter_passes", "data_parallel only")]
    public void Impossible_values_are_located_errors(string mode, string keys, string key, string expected)
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(Yaml(mode, keys), "s.yaml"));
        Assert.StartsWith("s.yaml:5:", e.Message);
        Assert.Contains(key, e.Message);
        Assert.Contains(expected, e.Message);
    }
}
