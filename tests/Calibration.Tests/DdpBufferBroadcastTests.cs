using System.Text.Json.Nodes;
using Sim.Calibration.Fitting;
using Sim.Calibration.Profiles;
using Sim.Calibration.Traces;
using Sim.Calibration.Validation;
using Xunit;

namespace Sim.Calibration.Tests;

/// <summary>
/// The two-rank buffer broadcast benchmark (sim-measurements v8) and its term (profile v7): hand-made rows on a known line give
/// the line back exactly (Theil-Sen oracle, also with a disturbed row), the rows round-trip through the writer and reader with
/// located errors, the profile carries the term only from v7, and the two-rank CNN job is charged exactly that line at its
/// buffer tensors in place of the isolated broadcast's CPU.
/// </summary>
public sealed class DdpBufferBroadcastTests
{
    private const double PerCall = 200e-6, PerTensor = 10e-6;

    private static MeasurementSet Committed => MeasurementSetReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json"));

    /// <summary>A row whose broadcast costs <c>PerCall + PerTensor x buffer tensors</c> (plus <paramref name="disturbance"/>):
    /// DDP and its no-broadcast twin differ by exactly that.</summary>
    private static DdpBufferBroadcastMeasurement Row(int blocks, int width, int batch, double disturbance = 0)
    {
        int buffers = 3 * blocks;
        long bytes = 4L * blocks * (width * width * 9 + 2 * width);
        var plain = new FreeRunningStep(1e-3 * blocks, 1e-3 * blocks, 1.1e-3 * blocks, 1.05e-3 * blocks);
        var twin = new FreeRunningStep(plain.CpuSeconds + 300e-6, plain.MainThreadCpuSeconds + 100e-6, plain.WallSeconds + 900e-6, plain.MeanCpuSeconds + 400e-6);
        // the broadcast's cost is read from the means; the medians differ by something else, which must not leak into it
        var ddp = twin with { CpuSeconds = twin.CpuSeconds + 50e-6, MeanCpuSeconds = twin.MeanCpuSeconds + PerCall + PerTensor * buffers + disturbance };
        return new DdpBufferBroadcastMeasurement("gloo", 2, batch, blocks, width, 8, 3 * blocks, bytes, buffers, 4L * blocks * (4 * width) + 8 * blocks,
            25L << 20, [bytes], 101, ddp, twin, plain);
    }

    // the profiler's configurations (sim_profile.py DDP_BN_CONFIGS)
    private static readonly DdpBufferBroadcastMeasurement[] HandMade = [Row(1, 16, 4), Row(4, 16, 4), Row(16, 16, 4), Row(4, 16, 16), Row(4, 32, 4)];

    [Fact]
    public void TheilSen_GivesAHandMadeLineBack_EvenWithOneDisturbedRow_AndHoldsTheSlopeAtZeroOrAbove()
    {
        var fit = Assert.IsType<DdpBufferSyncCost>(DdpBufferSyncCost.FitTheilSen(HandMade));
        Assert.Equal(PerCall, fit.SecondsPerCall, 1e-12);
        Assert.Equal(PerTensor, fit.SecondsPerTensor, 1e-13);
        Assert.Equal(0, fit.MedianRelativeError, 1e-9);
        Assert.Equal(PerCall + 18 * PerTensor, fit.Seconds(18), 1e-12); // the profiled reduced ResNet: 18 buffer tensors

        // one row disturbed by a burst of other load, even to a negative difference, does not move the line
        DdpBufferBroadcastMeasurement[] disturbed = [.. HandMade[..4], Row(4, 32, 4, disturbance: -900e-6)];
        Assert.True(disturbed[4].BroadcastCpuSecondsPerStep < 0);
        var robust = Assert.IsType<DdpBufferSyncCost>(DdpBufferSyncCost.FitTheilSen(disturbed));
        Assert.Equal(PerCall, robust.SecondsPerCall, 1e-12);
        Assert.Equal(PerTensor, robust.SecondsPerTensor, 1e-13);

        // a cost that falls with the tensors measures no per-tensor part: flat at the median cost
        DdpBufferBroadcastMeasurement[] falling = [Row(1, 16, 4, 270e-6), Row(4, 16, 4, 80e-6), Row(16, 16, 4, -380e-6)]; // 500, 400, 300 us
        var flat = Assert.IsType<DdpBufferSyncCost>(DdpBufferSyncCost.FitTheilSen(falling));
        Assert.Equal(0, flat.SecondsPerTensor);
        Assert.Equal(400e-6, flat.SecondsPerCall, 1e-12);

        Assert.Null(DdpBufferSyncCost.FitTheilSen([HandMade[1], HandMade[3]])); // one buffer-tensor count: no line
        Assert.Null(DdpBufferSyncCost.FitTheilSen([Row(1, 16, 4, -PerCall - 3 * PerTensor - 1e-6), Row(4, 16, 4, -PerCall - 12 * PerTensor - 1e-6)]));
    }

    [Fact]
    public void Rows_AreTheTwinDifferences_AndFeedTheDdpStepFitAsConvBatchNormRows()
    {
        var r = HandMade[2];
        Assert.Equal(PerCall + 48 * PerTensor, r.BroadcastCpuSecondsPerStep, 1e-12);
        Assert.Equal(300e-6, r.DdpCpuSecondsPerStep, 1e-12);
        var step = r.AsDdpStep();
        Assert.Equal(DdpStepMeasurement.ConvBatchNorm, step.Kind);
        Assert.Equal(48, step.Tensors);
        Assert.Equal(16, step.Layers);
        Assert.Equal(1, step.Buckets);
        Assert.Equal(r.DdpCpuSecondsPerStep, step.DdpCpuSecondsPerStep, 1e-15);
    }

    [Fact]
    public void DdpCostLines_AreFittedToTheLoopsMeans_WhereRowsRecordThem_ElseToTheMedians()
    {
        const double a = 100e-6, b = 0.5e-9, c = 5e-6;
        // (layers, parameter tensors, buckets, gradient bytes): tensors vary apart from layers in the last two rows
        var shapes = new (int Layers, int Tensors, int Buckets, long Bytes)[]
        {
            (1, 1, 1, 65536), (4, 4, 1, 262144), (16, 16, 1, 1 << 20), (4, 4, 2, 4 << 20), (8, 16, 1, 133120), (32, 64, 1, 135168),
        };
        DdpStepMeasurement Row((int Layers, int Tensors, int Buckets, long Bytes) x, bool means)
        {
            double cost = a * x.Buckets + b * x.Bytes + c * x.Tensors;
            long[] buckets = [.. Enumerable.Repeat(x.Bytes / x.Buckets, x.Buckets)];
            // the per-step medians see 70% of the cost (the tail is missed); the means see all of it
            return new DdpStepMeasurement("gloo", 2, x.Layers, 64, x.Bytes, 25L << 20, buckets, 31, 1e-3 + 0.7 * cost, 1e-3, 1e-3, 1e-3,
                2e-3, 1e-3, 1e-3, 1e-3, ParameterTensors: x.Tensors, MeanCpuSeconds: means ? 1.2e-3 + cost : null, PlainMeanCpuSeconds: means ? 1.2e-3 : null);
        }
        var (line, perTensor) = Assert.NotNull(DdpStepCostFitter.Fit([.. shapes.Select(x => Row(x, means: true))]));
        Assert.Equal(a, line.Line.AlphaSeconds, 1e-10);
        Assert.Equal(b, line.Line.BetaSecondsPerByte, 1e-16);
        Assert.Equal(c, perTensor, 1e-11);
        var (medianLine, medianPerTensor) = Assert.NotNull(DdpStepCostFitter.Fit([.. shapes.Select(x => Row(x, means: false))]));
        Assert.Equal(0.7 * a, medianLine.Line.AlphaSeconds, 1e-10);
        Assert.Equal(0.7 * c, medianPerTensor, 1e-11);
    }

    [Fact]
    public void Rows_RoundTrip_AreRequiredFromVersion8_WithLocatedErrors()
    {
        using var dir = new TempDirectory();
        string path = dir.File("measurements.json");
        MeasurementSetWriter.Write(Committed with { DdpBufferBroadcast = HandMade }, path);
        var back = MeasurementSetReader.Read(path).DdpBufferBroadcastRows;
        Assert.Equal(HandMade.Length, back.Count);
        for (int i = 0; i < HandMade.Length; i++)
        {
            Assert.Equal(HandMade[i] with { BucketSizes = [] }, back[i] with { BucketSizes = [] });
            Assert.Equal(HandMade[i].BucketSizes, back[i].BucketSizes);
        }

        var root = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(MeasurementSetReader.CurrentVersion, (int)root["version"]!); // v8 added the rows; later versions keep them
        string Error(Action<JsonNode> mutate)
        {
            var copy = JsonNode.Parse(root.ToJsonString())!;
            mutate(copy);
            File.WriteAllText(path, copy.ToJsonString());
            return Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(path)).Message;
        }
        Assert.Contains("$.ddp_buffer_broadcast: missing", Error(r => r.AsObject().Remove("ddp_buffer_broadcast")));
        Assert.Contains("$.ddp_buffer_broadcast[1].nobuf_main_cpu_median_s: expected at most nobuf_cpu_median_s",
            Error(r => r["ddp_buffer_broadcast"]![1]!["nobuf_main_cpu_median_s"] = 1.0));
        Assert.Contains("$.ddp_buffer_broadcast[2].plain_wall_median_s", Error(r => r["ddp_buffer_broadcast"]![2]!["plain_wall_median_s"] = 0));
        Assert.Contains("$.ddp_buffer_broadcast[0].buffer_tensors", Error(r => r["ddp_buffer_broadcast"]![0]!.AsObject().Remove("buffer_tensors")));
        Assert.Contains("$.ddp_buffer_broadcast[3].bucket_sizes: expected buckets adding up to bytes",
            Error(r => r["ddp_buffer_broadcast"]![3]!["bucket_sizes"] = new JsonArray(1, 2)));
        Assert.Contains("$.ddp_buffer_broadcast[4].world", Error(r => r["ddp_buffer_broadcast"]![4]!["world"] = 1));
    }

    [Fact]
    public void Profile_CarriesTheLineFromVersion7_AndTheTwoRankCnnIsChargedItInPlaceOfTheIsolatedBroadcast()
    {
        var set = Committed with { DdpBufferBroadcast = HandMade };
        var profile = CalibrationFitter.Fit(set);
        var gloo = Assert.Single(profile.Links, l => l.Backend == "gloo" && l.Collective == "all_reduce");
        var line = Assert.IsType<DdpBufferSyncCost>(gloo.DdpBufferBroadcast);
        Assert.Equal(PerCall, line.SecondsPerCall, 1e-12);

        using var dir = new TempDirectory();
        string path = dir.File("p.json");
        CalibrationProfileWriter.Write(profile, path);
        Assert.Equal(line, Assert.Single(CalibrationProfileReader.Read(path).Links, l => l.Collective == "all_reduce").DdpBufferBroadcast);
        var p = JsonNode.Parse(File.ReadAllText(path))!;
        // without the v9 key (a single process's DDP cost per step), which an older version does not know either
        foreach (var link in p["links"]!.AsArray()) link!.AsObject().Remove("ddp_alone_cpu_s_per_step");
        p["version"] = 6;
        File.WriteAllText(path, p.ToJsonString());
        Assert.Contains("ddp_buffer_broadcast_s: unknown key", Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(path)).Message);

        // The CNN (18 buffer tensors, 1200 bytes) with two ranks: the broadcast's CPU per rank is the in-loop line at 18 tensors;
        // without the line, the isolated broadcast's measured CPU. Every other term is the same, so the job's CPU per iteration
        // differs by exactly two ranks' difference.
        var inLoop = Assert.IsType<BufferBroadcastCost>(BufferBroadcastCost.FromGloo(profile.Links, 2, 1200, 18));
        Assert.Equal(PerCall + 18 * PerTensor, inLoop.CpuSeconds, 1e-12);
        var without = profile with { Links = [.. profile.Links.Select(l => l == gloo ? l with { DdpBufferBroadcast = null } : l)] };
        var isolated = Assert.IsType<BufferBroadcastCost>(BufferBroadcastCost.FromGloo(without.Links, 2, 1200, 18));
        Assert.Equal(isolated.WallSeconds, inLoop.WallSeconds);
        Assert.Equal(isolated, BufferBroadcastCost.FromGloo(profile.Links, 2, 1200)); // buffer tensors not known: as before
        Assert.Equal(BufferBroadcastCost.None, BufferBroadcastCost.FromGloo(profile.Links, 1, 1200, 18)); // a world of one broadcasts to nobody
        foreach (int batch in new[] { 8, 32 })
            Assert.Equal(2 * (inLoop.CpuSeconds - isolated.CpuSeconds),
                DdpValidation.ModelCpuSeconds(profile, set, "cnn", batch, 2) - DdpValidation.ModelCpuSeconds(without, set, "cnn", batch, 2), 12);
        // models without buffers are not charged it
        Assert.Equal(DdpValidation.ModelCpuSeconds(without, set, "mlp", 8, 2), DdpValidation.ModelCpuSeconds(profile, set, "mlp", 8, 2));
    }

    [Fact]
    public void WallLine_FromVersion8_IsTheTwinsWallDifference_AndFloorsTheTwoRankBroadcast_NeverBelowTheIsolatedOne()
    {
        // Rows whose broadcast adds exactly WallPerCall + WallPerTensor x buffer tensors to the slowest rank's median step.
        const double WallPerCall = 300e-6, WallPerTensor = 25e-6;
        var rows = HandMade.Select(r => r with { Ddp = r.Ddp with { WallSeconds = r.NoBroadcast.WallSeconds + WallPerCall + WallPerTensor * r.BufferTensors } }).ToArray();
        Assert.Equal(WallPerCall + 48 * WallPerTensor, rows[2].BroadcastWallSecondsPerStep, 1e-12);
        var wallLine = Assert.IsType<DdpBufferSyncCost>(DdpBufferSyncCost.FitTheilSenWall(rows));
        Assert.Equal(WallPerCall, wallLine.SecondsPerCall, 1e-12);
        Assert.Equal(WallPerTensor, wallLine.SecondsPerTensor, 1e-13);
        Assert.Null(DdpBufferSyncCost.FitTheilSenWall(HandMade)); // the hand-made rows' broadcast adds no wall: no line

        var set = Committed with { DdpBufferBroadcast = rows };
        var profile = CalibrationFitter.Fit(set);
        var gloo = Assert.Single(profile.Links, l => l.Backend == "gloo" && l.Collective == "all_reduce");
        Assert.Equal(wallLine, gloo.DdpBufferBroadcastWall);
        using var dir = new TempDirectory();
        string path = dir.File("p.json");
        CalibrationProfileWriter.Write(profile, path);
        Assert.Equal(wallLine, Assert.Single(CalibrationProfileReader.Read(path).Links, l => l.Collective == "all_reduce").DdpBufferBroadcastWall);
        var p = JsonNode.Parse(File.ReadAllText(path))!;
        // without the v9 key (a single process's DDP cost per step), which an older version does not know either
        foreach (var link in p["links"]!.AsArray()) link!.AsObject().Remove("ddp_alone_cpu_s_per_step");
        p["version"] = 7;
        File.WriteAllText(path, p.ToJsonString());
        Assert.Contains("ddp_buffer_broadcast_wall_s: unknown key", Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(path)).Message);

        // The CNN (18 buffer tensors) with two ranks: the broadcast lasts at least the wall line at 18 tensors (above the isolated
        // broadcast's here), its CPU is unchanged; a profile without the line keeps the isolated broadcast's floor.
        var withWall = Assert.IsType<BufferBroadcastCost>(BufferBroadcastCost.FromGloo(profile.Links, 2, 1200, 18));
        var without = profile with { Links = [.. profile.Links.Select(l => l == gloo ? l with { DdpBufferBroadcastWall = null } : l)] };
        var before = Assert.IsType<BufferBroadcastCost>(BufferBroadcastCost.FromGloo(without.Links, 2, 1200, 18));
        Assert.True(before.WallSeconds < WallPerCall + 18 * WallPerTensor);
        Assert.Equal(WallPerCall + 18 * WallPerTensor, withWall.WallSeconds, 1e-12);
        Assert.Equal(before.CpuSeconds, withWall.CpuSeconds);
        // a line below the isolated broadcast's wall does not lower the floor
        var tiny = profile with { Links = [.. profile.Links.Select(l => l == gloo ? l with { DdpBufferBroadcastWall = new DdpBufferSyncCost(1e-9, 0, 0) } : l)] };
        Assert.Equal(before.WallSeconds, BufferBroadcastCost.FromGloo(tiny.Links, 2, 1200, 18)!.WallSeconds);
        // the two-rank CNN's simulated step is no faster with the floor, and models without buffers do not see it
        Assert.True(DdpValidation.PredictOnHost(profile, set, "cnn", 8, 2, [], seed: 1) >= DdpValidation.PredictOnHost(without, set, "cnn", 8, 2, [], seed: 1));
        Assert.Equal(DdpValidation.PredictOnHost(without, set, "mlp", 8, 2, [], seed: 1), DdpValidation.PredictOnHost(profile, set, "mlp", 8, 2, [], seed: 1));
    }
}
