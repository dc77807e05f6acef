using Sim.Calibration.Traces;
using Sim.Calibration.TorchSharp;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Torch.Tests;

/// <summary>The TorchSharp small models are the Python profiler's models: the same parameter counts and FLOPs
/// (read from the committed PyTorch measurements), and they really learn.</summary>
public class TorchSmallModelsTests
{
    [Fact]
    public void ParameterCountsAndFlopsMatchThePythonProfilersModels()
    {
        if (!TorchAvailability.Require(threads: 1)) return;
        var python = MeasurementSetReader.Read(Path.Combine(RepositoryRoot.Path, "traces", "cpu-amd-epyc", "measurements.json"));
        foreach (string name in TorchSmallModels.Names)
        {
            var model = TorchSmallModels.Create(name);
            long parameters = model.Module.parameters().Sum(p => p.numel());
            var rows = python.Models.Where(m => m.Model == name).ToList();
            Assert.NotEmpty(rows);
            foreach (var row in rows)
            {
                Assert.Equal(row.Parameters, parameters);
                Assert.Equal(row.ForwardFlops, model.ForwardFlops(row.Batch));
                // the per-layer attribution sums to the whole (embedding and activations do no multiply-adds)
                Assert.Equal(row.Layers.Select(l => l.Parameters), model.Layers.Select(l => l.Module.parameters().Sum(p => p.numel())));
            }
            model.Module.Dispose();
        }
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    [InlineData("transformer")]
    public void TrainingStepsLowerTheLossOnAFixedBatch(string name)
    {
        if (!TorchAvailability.Require(threads: 1)) return;
        var model = TorchSmallModels.Create(name);
        var (x, y) = model.MakeBatch(8);
        using var optimizer = optim.SGD(model.Module.parameters(), 0.05);
        float Loss()
        {
            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var output = model.Module.forward(x);
            return nn.functional.cross_entropy(output.reshape(-1, output.shape[^1]), y.reshape(-1)).item<float>();
        }
        float before = Loss();
        for (int i = 0; i < 20; i++) TorchSharpProfilerBackend.TrainStep(model, x, y, optimizer);
        float after = Loss();
        Assert.True(after < 0.9f * before, $"{name}: loss {before} -> {after} after 20 SGD steps on one batch");
        x.Dispose(); y.Dispose(); model.Module.Dispose();
    }
}
