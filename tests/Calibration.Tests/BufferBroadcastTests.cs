using Sim.Calibration.Fitting;
using Sim.Calibration.Profiles;
using Sim.Calibration.Traces;
using Sim.Calibration.Validation;

namespace Sim.Calibration.Tests;

/// <summary>DDP's buffer broadcast before every forward (broadcast_buffers=True) in <c>sim validate ddp</c>'s host
/// model: the profiled models' buffer bytes against a hand count, and the simulated step's growth against the
/// broadcast's cost.</summary>
public sealed class BufferBroadcastTests
{
    private static readonly MeasurementSet Measured = MeasurementSetReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json"));
    private static readonly CalibrationProfile Profile = CalibrationProfileReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "profile.json"));

    [Fact]
    public void BufferBytes_OfTheProfiledModels_MatchAHandCount()
    {
        // The reduced ResNet (sim_profile.py TinyResNet): BatchNorm2d over 16 channels in the stem, two of 16 in layer1,
        // three of 32 in layer2 (bn1, bn2 and the shortcut's). Each holds running_mean and running_var (C float32 each)
        // and num_batches_tracked (one int64): 8 C + 8 bytes. 3 x (8*16 + 8) + 3 x (8*32 + 8) = 408 + 792 = 1200.
        Assert.Equal(1200, DdpValidation.BufferBytes(Measured, "cnn"));
        // per layer (stem, layer1, layer2, head), at every profiled batch size
        foreach (var step in Measured.Models.Where(m => m.Model == "cnn"))
            Assert.Equal(new long[] { 136, 272, 792, 0 }, step.Layers.Select(l => l.BufferBytes));
        // the MLP (Linear and ReLU) and the transformer block (LayerNorm keeps no running statistics) have none
        Assert.Equal(0, DdpValidation.BufferBytes(Measured, "mlp"));
        Assert.Equal(0, DdpValidation.BufferBytes(Measured, "transformer"));
    }

    [Fact]
    public void TwoProcessCnn_StepGrows_ByExactlyTheBroadcastCost_OnFreeCores()
    {
        // Two ranks on the profile's two free cores: both broadcast at once, one core each, before forward, so every
        // iteration (and the median) is shifted by the larger of the broadcast's CPU work and its wall time.
        var withoutBuffers = Measured with
        {
            Models = Measured.Models.Select(m => m with { Layers = m.Layers.Select(l => l with { BufferBytes = 0 }).ToList() }).ToList(),
        };
        var gloo = Profile.Links.First(l => l.Backend == "gloo");
        var cost = BufferBroadcastCost.FromAllReduce(gloo, 1200);
        Assert.Equal(gloo.Cost.AlphaSeconds + gloo.Cost.BetaSecondsPerByte * 1200, cost.WallSeconds, 15);
        Assert.Equal(gloo.HostCpu!.Line.AlphaSeconds + gloo.HostCpu.Line.BetaSecondsPerByte * 1200, cost.CpuSeconds, 15);
        Assert.True(cost.WallSeconds > 0 && cost.CpuSeconds > 0);
        foreach (int batch in new[] { 8, 32 })
        {
            double with = DdpValidation.PredictOnHost(Profile, Measured, "cnn", batch, 2, [], seed: 1);
            double without = DdpValidation.PredictOnHost(Profile, withoutBuffers, "cnn", batch, 2, [], seed: 1);
            Assert.Equal(Math.Max(cost.CpuSeconds, cost.WallSeconds), with - without, 12);
            // one process broadcasts to nobody
            Assert.Equal(DdpValidation.PredictOnHost(Profile, withoutBuffers, "cnn", batch, 1, [], seed: 1),
                DdpValidation.PredictOnHost(Profile, Measured, "cnn", batch, 1, [], seed: 1), 15);
        }
    }

    [Fact]
    public void NoBuffers_CostNothing_AndNegativeBytesAreRejected()
    {
        var gloo = Profile.Links.First(l => l.Backend == "gloo");
        Assert.Equal(BufferBroadcastCost.None, BufferBroadcastCost.FromAllReduce(gloo, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => BufferBroadcastCost.FromAllReduce(gloo, -1));
    }
}
