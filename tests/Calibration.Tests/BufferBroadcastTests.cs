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
    // The committed measurements, without their own gloo broadcast rows and (v8) without the in-loop broadcast rows
    // (DdpBufferBroadcastTests covers those): these tests price the broadcast by the all-reduce stand-in or by broadcast rows
    // they make themselves, so the expected figures are closed forms.
    private static readonly MeasurementSet Measured = WithoutBroadcastRows(MeasurementSetReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json")));
    private static readonly CalibrationProfile Profile = CalibrationFitter.Fit(Measured);

    private static MeasurementSet WithoutBroadcastRows(MeasurementSet set) =>
        set with { Collectives = set.Collectives.Where(c => c.Collective != "broadcast").ToList(), DdpBufferBroadcast = [] };

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
        // The committed profile has no broadcast rows: the all-reduce link (per step: alpha + beta S) drives one
        // broadcast step of 1200 bytes between two ranks; the all-reduce's CPU line stands in for the CPU.
        var gloo = Profile.Links.Single(l => l.Backend == "gloo" && l.Collective == "all_reduce");
        var cost = BufferBroadcastCost.FromGloo(Profile.Links, 2, 1200)!;
        Assert.Equal(gloo.Cost.AlphaSeconds + gloo.Cost.BetaSecondsPerByte * 1200, cost.WallSeconds, 15);
        Assert.Equal(gloo.HostCpu!.Line.AlphaSeconds + gloo.HostCpu.Line.BetaSecondsPerByte * 1200, cost.CpuSeconds, 15);
        Assert.Contains("stand-in", cost.Source);
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
    public void AMeasuredBroadcast_IsPreferred_AndNoBuffersOrOneRankCostNothing()
    {
        var allReduce = Profile.Links.Single(l => l.Backend == "gloo" && l.Collective == "all_reduce");
        // a broadcast fit of 50 us + 1 ns/B wall (one step with two ranks) and 30 us + 0.5 ns/B CPU
        var broadcast = new LinkFit("loopback-gloo", "gloo", "broadcast", 2, new LinkCost(50e-6, 1e-9), 8, 0.1,
            new HostCpuCost(new LinkCost(30e-6, 0.5e-9), 0.1));
        var cost = BufferBroadcastCost.FromGloo([allReduce, broadcast], 2, 1000)!;
        Assert.Equal(51e-6, cost.WallSeconds, 15);
        Assert.Equal(30.5e-6, cost.CpuSeconds, 15);
        Assert.Equal("measured gloo broadcast", cost.Source);
        Assert.Equal(BufferBroadcastCost.None, BufferBroadcastCost.FromGloo(Profile.Links, 2, 0));
        Assert.Equal(BufferBroadcastCost.None, BufferBroadcastCost.FromGloo(Profile.Links, 1, 1200));
        Assert.Null(BufferBroadcastCost.FromGloo([], 2, 1200));
        Assert.Throws<ArgumentOutOfRangeException>(() => BufferBroadcastCost.FromGloo(Profile.Links, 2, -1));
    }

    [Fact]
    public void Fitter_FitsMeasuredBroadcastRows_AndLeavesOutOnesThatDoNotGrowWithTheBytes()
    {
        // broadcast rows on the line 60 us + 0.5 ns/B (wall) and 30 us + 0.25 ns/B (CPU): one step between two ranks
        long[] sizes = [4096, 65536, 1 << 20, 16 << 20];
        var rows = sizes.Select(b => new CollectiveMeasurement("gloo", "broadcast", 2, b, 60e-6 + 0.5e-9 * b, 30e-6 + 0.25e-9 * b)).ToList();
        var fitted = CalibrationFitter.Fit(Measured with { Collectives = [.. Measured.Collectives, .. rows] });
        var broadcast = fitted.Links.Single(l => l.Collective == "broadcast");
        Assert.Equal(60e-6, broadcast.Cost.AlphaSeconds, 12);
        Assert.Equal(0.5e-9, broadcast.Cost.BetaSecondsPerByte, 15);
        Assert.Equal(30e-6 + 0.25e-9 * 1200, broadcast.HostCpu!.Seconds(1200), 12);
        // the all-reduce link is unchanged by them, and is still the one DDP's buckets use
        Assert.Equal(Profile.Links.Single(l => l.Collective == "all_reduce").Cost, fitted.Links.Single(l => l.Collective == "all_reduce").Cost);
        Assert.Equal("measured gloo broadcast", BufferBroadcastCost.FromGloo(fitted.Links, 2, 1200)!.Source);
        // rows that shrink with the bytes (load noise) cannot be fitted: left out, the all-reduce stands in
        var noisy = sizes.Select(b => new CollectiveMeasurement("gloo", "broadcast", 2, b, 1e-3 - 1e-11 * b, 1e-4)).ToList();
        var withNoise = CalibrationFitter.Fit(Measured with { Collectives = [.. Measured.Collectives, .. noisy] });
        Assert.DoesNotContain(withNoise.Links, l => l.Collective == "broadcast");
        Assert.Contains("stand-in", BufferBroadcastCost.FromGloo(withNoise.Links, 2, 1200)!.Source);
    }
}
