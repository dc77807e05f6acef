using Sim.Calibration.Fitting;
using Sim.Calibration.Traces;
using Sim.Calibration.Validation;

namespace Sim.Calibration.Tests;

/// <summary>
/// The v6 DDP terms on the committed measurements: the profiler's tensor counts are the validated models' architecture, and
/// the simulated one-process job carries exactly the per-tensor cost and the buffer sync the profile fitted, nothing else.
/// </summary>
public sealed class DdpTensorTermsTests
{
    private static MeasurementSet Committed => MeasurementSetReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json"));

    [Fact]
    public void ProfiledTensorCounts_AreTheModelsArchitecture()
    {
        var set = Committed;
        // MLP: three Linear layers with biases. Reduced ResNet: six bias-free convolutions, six BatchNorm2d (weight and bias;
        // running mean, running variance and the batch counter as buffers), a Linear head with bias. Transformer block:
        // embedding, one encoder layer (in- and out-projection, two feed-forward Linear layers, two LayerNorms, each with a
        // weight and a bias: 12), a Linear head with bias.
        Assert.Equal(6, DdpValidation.LayerTensors(set, "mlp")!.Sum());
        Assert.Equal(20, DdpValidation.LayerTensors(set, "cnn")!.Sum());
        Assert.Equal(15, DdpValidation.LayerTensors(set, "transformer")!.Sum());
        Assert.Equal(0, DdpValidation.BufferTensors(set, "mlp"));
        Assert.Equal(18, DdpValidation.BufferTensors(set, "cnn"));
        Assert.Equal(0, DdpValidation.BufferTensors(set, "transformer"));
        Assert.True(set.AllocatorPinned, set.Allocator);
    }

    [Fact]
    public void OneProcess_CarriesExactlyThePerTensorCostAndTheBufferSync()
    {
        var set = Committed;
        var profile = CalibrationFitter.Fit(set);
        var gloo = Assert.Single(profile.Links, l => l.Backend == "gloo" && l.Collective == "all_reduce");
        double perTensor = Assert.NotNull(gloo.DdpAloneCpuPerTensor);
        var sync = Assert.IsType<DdpBufferSyncCost>(gloo.DdpAloneBufferSync);
        // most of a single process's DDP work is its compute thread's (measured 0.79-0.98 per configuration, 2026-12-07)
        Assert.InRange(Assert.NotNull(gloo.DdpAloneComputeThreadShare), 0.5, 1.0);
        var without = profile with { Links = [.. profile.Links.Select(l => l == gloo ? l with { DdpAloneCpuPerTensor = null, DdpAloneBufferSync = null } : l)] };
        foreach (var (model, tensors, buffers) in new[] { ("mlp", 6, 0), ("cnn", 20, 18), ("transformer", 15, 0) })
            foreach (int batch in new[] { 8, 32 })
                Assert.Equal(tensors * perTensor + sync.Seconds(buffers),
                    DdpValidation.ModelCpuSeconds(profile, set, model, batch, 1) - DdpValidation.ModelCpuSeconds(without, set, model, batch, 1), 12);
    }
}
