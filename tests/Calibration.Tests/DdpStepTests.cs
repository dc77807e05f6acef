using System.Text.Json.Nodes;
using Sim.Calibration.Fitting;
using Sim.Calibration.Profiles;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Tests;

/// <summary>
/// What a real DDP step costs a rank (sim-measurements v4, profile v4) and, from v5, the wall time a bucket
/// adds and the co-run compute factor: the fits recover hand-made per-bucket lines exactly from steps with
/// different bucket counts, the reader checks the section with located errors and keeps reading v3 and v4
/// files without the newer keys, the writer round-trips it, profiles carry each term only from its version,
/// and the cost the simulator charges per bucket prefers the newest.
/// </summary>
public sealed class DdpStepTests
{
    private static string Committed => Path.Combine(RepositoryPaths.CpuTraces, "measurements.json");

    // The committed measurements without their v8 conv + BatchNorm rows, which also feed the per-bucket and per-tensor fit:
    // the hand-made rows below are then the only DDP step rows, and the oracles hold exactly.
    private static MeasurementSet CommittedWithoutBroadcastRows => MeasurementSetReader.Read(Committed) with { DdpBufferBroadcast = [] };

    private const double A = 250e-6, B = 0.45e-9, WallA = 700e-6, WallB = 1.1e-9;

    /// <summary>A configuration where DDP costs exactly <see cref="A"/> per bucket + <see cref="B"/> per byte of CPU
    /// and <see cref="WallA"/> + <see cref="WallB"/> per byte of wall time on top of a 1 ms plain step, and the plain
    /// step's compute thread takes 0.9 ms with both ranks at once against 0.75 ms alone (factor 1.2).</summary>
    private static DdpStepMeasurement Row(int layers, int width, params long[] buckets)
    {
        long bytes = 4L * layers * width * width;
        Assert.Equal(bytes, buckets.Sum());
        double ddp = A * buckets.Length + B * bytes, wall = WallA * buckets.Length + WallB * bytes;
        return new DdpStepMeasurement("gloo", 2, layers, width, bytes, 25 << 20, buckets, 21, CpuSeconds: 1e-3 + ddp,
            MainThreadCpuSeconds: 0.9e-3 + ddp / 3, PlainCpuSeconds: 1e-3, PlainMainThreadCpuSeconds: 0.9e-3, WallSeconds: 1.1e-3 + wall, PlainWallSeconds: 1.1e-3,
            SoloMainThreadCpuSeconds: 0.75e-3, SoloWallSeconds: 0.8e-3);
    }

    private static readonly DdpStepMeasurement[] HandMade =
    [
        Row(1, 128, 65536), Row(1, 512, 1 << 20), Row(4, 512, 1 << 20, 3 << 20), Row(4, 512, 1 << 20, 1 << 20, 1 << 20, 1 << 20),
        Row(16, 256, 1 << 20, 1 << 20, 1 << 20, 1 << 20),
    ];

    [Fact]
    public void Fit_RecoversAHandMadePerBucketLine_FromStepsWithDifferentBucketCounts()
    {
        // 2 buckets of 4 MiB in all: 2 x 250 us + 0.45 ns x 4 MiB = 2.387 ms per step, 1.194 ms per bucket.
        Assert.Equal(2 * A + B * (4 << 20), HandMade[2].DdpCpuSecondsPerStep, 1e-12);
        Assert.Equal(A + B * (2 << 20), HandMade[2].DdpCpuSecondsPerBucket, 1e-12);
        var cost = Assert.IsType<HostCpuCost>(CalibrationFitter.FitHostCpuOfDdpStep(HandMade));
        Assert.Equal(A, cost.Line.AlphaSeconds, 1e-10);
        Assert.Equal(B, cost.Line.BetaSecondsPerByte, 1e-16);
        Assert.Equal(0, cost.MedianRelativeError, 1e-9);
        // one mean bucket size cannot separate the parts; a row where DDP cost nothing is noise and left out
        Assert.Null(CalibrationFitter.FitHostCpuOfDdpStep([HandMade[1], HandMade[3]]));
        var noisy = HandMade[0] with { CpuSeconds = 0.9e-3 };
        Assert.Equal(A, CalibrationFitter.FitHostCpuOfDdpStep([.. HandMade, noisy])!.Line.AlphaSeconds, 1e-10);
        // a third of every row's DDP cost is on the compute thread (Row: MainThreadCpuSeconds = plain + ddp / 3)
        Assert.Equal(1.0 / 3, CalibrationFitter.ComputeThreadShare(HandMade)!.Value, 1e-9);
        Assert.Null(CalibrationFitter.ComputeThreadShare([noisy]));
    }

    private const double PerTensor = 12e-6;

    /// <summary>A row of a Linear stack with biases (sim-measurements v6: two tensors per layer) where DDP costs <see cref="A"/>
    /// per bucket, <see cref="B"/> per byte and <see cref="PerTensor"/> per parameter tensor, on top of a 1 ms plain step.</summary>
    private static DdpStepMeasurement TensorRow(int layers, int width, bool bias, params long[] buckets)
    {
        long bytes = 4L * layers * (width * width + (bias ? width : 0));
        int tensors = bias ? 2 * layers : layers;
        double ddp = A * buckets.Length + B * bytes + PerTensor * tensors;
        return Row(1, 128, 65536) with { Layers = layers, Width = width, Bytes = bytes, BucketSizes = buckets, CpuSeconds = 1e-3 + ddp, ParameterTensors = bias ? tensors : null };
    }

    [Fact]
    public void PerTensorFit_RecoversAHandMadeTensorCost_OnlyWhenTheRowsVaryTensorsApartFromLayers()
    {
        DdpStepMeasurement[] rows =
        [
            TensorRow(1, 128, false, 65536), TensorRow(16, 128, false, 1 << 20), TensorRow(4, 512, false, 1 << 20, 3 << 20),
            TensorRow(32, 32, true, 4L * 32 * (32 * 32 + 32)), TensorRow(64, 16, true, 4L * 64 * (16 * 16 + 16)),
            TensorRow(32, 128, true, 1 << 20, 4L * 32 * (128 * 128 + 128) - (1 << 20)),
        ];
        Assert.Equal(64, rows[3].Tensors);
        Assert.Equal(16, rows[1].Tensors); // one per layer where the row does not say
        var (line, perTensor) = Assert.NotNull(DdpStepCostFitter.Fit(rows));
        Assert.Equal(A, line.Line.AlphaSeconds, 1e-10);
        Assert.Equal(B, line.Line.BetaSecondsPerByte, 1e-16);
        Assert.Equal(PerTensor, perTensor, 1e-11);
        Assert.Equal(0, line.MedianRelativeError, 1e-9);
        // without rows that vary tensors apart from layers (before v6) there is no per-tensor term, and the profile fits the
        // per-bucket line from the stacks of one tensor per layer only
        Assert.Null(DdpStepCostFitter.Fit(rows[..3]));
        Assert.Null(CalibrationFitter.FitDdpStepCpu(rows[..3]).PerTensor);
        Assert.Equal(PerTensor, CalibrationFitter.FitDdpStepCpu(rows).PerTensor!.Value, 1e-11);
    }

    [Fact]
    public void BufferSync_FitsAHandMadeLine_RoundTrips_AndIsRequiredFromVersion6()
    {
        // 20 us per call + 1.5 us per buffer tensor (BatchNorm1d stacks: three tensors per layer)
        DdpBufferSyncMeasurement[] rows = [.. new[] { 1, 4, 16, 64 }.Select(l => new DdpBufferSyncMeasurement("gloo", 1, l, 16, 3 * l, 136L * l, 101, 20e-6 + 1.5e-6 * 3 * l))];
        var cost = Assert.IsType<DdpBufferSyncCost>(DdpBufferSyncCost.Fit(rows));
        Assert.Equal(20e-6, cost.SecondsPerCall, 1e-12);
        Assert.Equal(1.5e-6, cost.SecondsPerTensor, 1e-13);
        Assert.Equal(20e-6 + 18 * 1.5e-6, cost.Seconds(18), 1e-12); // the profiled reduced ResNet: six BatchNorm2d layers
        Assert.Equal(0, cost.Seconds(0)); // no buffers, no sync
        Assert.Null(DdpBufferSyncCost.Fit(rows[..1]));

        using var dir = new TempDirectory();
        string path = dir.File("measurements.json");
        MeasurementSetWriter.Write(CommittedWithoutBroadcastRows with { DdpSteps = HandMade, DdpBufferSync = rows }, path);
        var back = MeasurementSetReader.Read(path);
        Assert.Equal(rows, back.DdpBufferSyncRows);
        var link = Assert.Single(CalibrationFitter.Fit(back).Links, l => l.Collective == "all_reduce");
        CalibrationProfileWriter.Write(CalibrationFitter.Fit(back), dir.File("p.json"));
        var read = Assert.Single(CalibrationProfileReader.Read(dir.File("p.json")).Links, l => l.Collective == "all_reduce");
        Assert.Equal(1.5e-6, read.DdpAloneBufferSync!.SecondsPerTensor, 1e-13);
        Assert.Equal(link.DdpAloneBufferSync, read.DdpAloneBufferSync);

        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root.AsObject().Remove("ddp_buffer_sync");
        File.WriteAllText(path, root.ToJsonString());
        Assert.Contains("$.ddp_buffer_sync: missing", Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(path)).Message);
        root["version"] = 5;
        root.AsObject().Remove("allocator");
        File.WriteAllText(path, root.ToJsonString());
        Assert.Empty(MeasurementSetReader.Read(path).DdpBufferSyncRows);
    }

    [Fact]
    public void TensorsPerBucket_CountsEachBucketsLayers_InDdpOrder()
    {
        // four layers of 1 MiB of gradients each (forward order), the last with 2 tensors, a parameter-free layer between:
        // DDP's first bucket (1 MiB cap) holds the last layer alone, the second (25 MiB) the rest
        var layers = new[] { 1, 3, 0, 2 }.Select((t, i) => new Sim.Models.Workloads.Layer
        {
            Name = $"l{i}", Kind = "Linear", ForwardFlops = 1, BackwardFlops = 2, Parameters = t == 0 ? 0 : 1 << 18, OutputActivationBytes = 1,
        }).ToList();
        var buckets = new Sim.Models.Training.GradientBuckets(layers, 4, 25 << 20, 1 << 20);
        Assert.Equal(2, buckets.Count);
        Assert.Equal([2, 4], Sim.Models.Training.CpuHostDataParallel.TensorsPerBucket(buckets, [1, 3, 0, 2]));
    }

    [Fact]
    public void Fit_RecoversTheWallLineAndTheCoRunFactor_OnlyFromVersion5Rows()
    {
        // 2 buckets, 4 MiB: 2 x 700 us + 1.1 ns x 4 MiB = 5.81 ms more wall per step, 2.906 ms per bucket.
        Assert.Equal(WallA + WallB * (2 << 20), HandMade[2].DdpWallSecondsPerBucket, 1e-12);
        var wall = Assert.IsType<DdpBucketWallTime>(CalibrationFitter.FitDdpStepWall(HandMade));
        Assert.Equal(WallA, wall.Line.AlphaSeconds, 1e-10);
        Assert.Equal(WallB, wall.Line.BetaSecondsPerByte, 1e-16);
        Assert.Equal(0, wall.MedianRelativeError, 1e-9);
        Assert.Equal(0.9 / 0.75, CalibrationFitter.CoRunComputeFactor(HandMade)!.Value, 1e-12);
        // the median of the per-row ratios: one disturbed row does not move it
        var disturbed = HandMade[0] with { SoloMainThreadCpuSeconds = 0.3e-3 };
        Assert.Equal(0.9 / 0.75, CalibrationFitter.CoRunComputeFactor([.. HandMade, disturbed])!.Value, 1e-12);
        // v4 rows (no solo step) give neither term
        var v4 = HandMade.Select(r => r with { SoloMainThreadCpuSeconds = null, SoloWallSeconds = null }).ToArray();
        Assert.Null(CalibrationFitter.FitDdpStepWall(v4));
        Assert.Null(CalibrationFitter.CoRunComputeFactor(v4));
        Assert.NotNull(CalibrationFitter.FitHostCpuOfDdpStep(v4));
        // costs that shrink with the bytes measure no per-byte cost: the terms are left out, the profile still fits
        var tilted = new[] { HandMade[0] with { CpuSeconds = 5e-3, WallSeconds = 9e-3 }, HandMade[1] };
        Assert.Null(CalibrationFitter.FitHostCpuOfDdpStep(tilted));
        Assert.Null(CalibrationFitter.FitDdpStepWall(tilted));
    }

    [Fact]
    public void RowsWithAWorldOfOne_GiveWhatDdpCostsASingleProcess_AndNothingElse()
    {
        // The same hand-made rows measured with one rank: their per-bucket line is the single-process term; the
        // two-rank terms come from the two-rank rows alone.
        var one = HandMade.Select(r => r with { WorldSize = 1, CpuSeconds = r.PlainCpuSeconds + (r.CpuSeconds - r.PlainCpuSeconds) / 2,
            SoloMainThreadCpuSeconds = r.PlainMainThreadCpuSeconds }).ToArray();
        var set = CommittedWithoutBroadcastRows with { DdpSteps = [.. HandMade, .. one] };
        var link = Assert.Single(CalibrationFitter.Fit(set).Links, l => l.Collective == "all_reduce");
        Assert.Equal(A / 2, link.HostCpuOfDdpStepAlone!.Line.AlphaSeconds, 1e-10);
        Assert.Equal(B / 2, link.HostCpuOfDdpStepAlone.Line.BetaSecondsPerByte, 1e-16);
        Assert.Equal(A, link.HostCpuOfDdpStep!.Line.AlphaSeconds, 1e-10);
        Assert.Equal(0.9 / 0.75, link.CoRunComputeFactor!.Value, 1e-12);
        // and it survives the writers and readers
        using var dir = new TempDirectory();
        MeasurementSetWriter.Write(set, dir.File("measurements.json"));
        CalibrationProfileWriter.Write(CalibrationFitter.Fit(MeasurementSetReader.Read(dir.File("measurements.json"))), dir.File("profile.json"));
        Assert.Equal(B / 2, Assert.Single(CalibrationProfileReader.Read(dir.File("profile.json")).Links, l => l.Collective == "all_reduce").HostCpuOfDdpStepAlone!.Line.BetaSecondsPerByte, 1e-16);
    }

    [Fact]
    public void ConvolutionRows_GiveOnlyTheirOwnCoRunFactor_AndSurviveWritersAndReaders()
    {
        // Convolution stacks whose plain step takes 1.2 ms with both ranks at once against 0.8 ms alone (factor 1.5) and
        // whose DDP costs are far off the Linear line: the conv factor is theirs, every other term the Linear rows'.
        var conv = HandMade.Select(r => r with { Kind = DdpStepMeasurement.Conv, CpuSeconds = r.CpuSeconds * 3, WallSeconds = r.WallSeconds * 3,
            PlainMainThreadCpuSeconds = 1.2e-3, SoloMainThreadCpuSeconds = 0.8e-3 }).ToArray();
        using var dir = new TempDirectory();
        var set = CommittedWithoutBroadcastRows with { DdpSteps = [.. HandMade, .. conv] };
        MeasurementSetWriter.Write(set, dir.File("measurements.json"));
        var back = MeasurementSetReader.Read(dir.File("measurements.json"));
        Assert.Equal(HandMade.Length, back.DdpStepRows.Count(r => r.Kind == DdpStepMeasurement.Conv));
        CalibrationProfileWriter.Write(CalibrationFitter.Fit(back), dir.File("profile.json"));
        var link = Assert.Single(CalibrationProfileReader.Read(dir.File("profile.json")).Links, l => l.Collective == "all_reduce");
        Assert.Equal(1.5, link.ConvCoRunComputeFactor!.Value, 1e-12);
        Assert.Equal(0.9 / 0.75, link.CoRunComputeFactor!.Value, 1e-12);
        Assert.Equal(A, link.HostCpuOfDdpStep!.Line.AlphaSeconds, 1e-10);
        Assert.Equal(WallB, link.DdpStepWall!.Line.BetaSecondsPerByte, 1e-16);
        // without convolution rows (every profile before them) there is no conv factor: the Linear one stands in
        Assert.Null(Assert.Single(CalibrationFitter.Fit(set with { DdpSteps = HandMade }).Links, l => l.Collective == "all_reduce").ConvCoRunComputeFactor);
        // an unknown kind is a located error
        var json = JsonNode.Parse(File.ReadAllText(dir.File("measurements.json")))!;
        json["ddp_steps"]![0]!["kind"] = "lstm";
        File.WriteAllText(dir.File("bad.json"), json.ToJsonString());
        Assert.Contains("$.ddp_steps[0].kind: expected \"linear\" or \"conv\", got \"lstm\"",
            Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(dir.File("bad.json"))).Message);
    }

    [Fact]
    public void Link_ChargesTheBestMeasuredCostPerBucket()
    {
        var isolated = new HostCpuCost(new LinkCost(100e-6, 0.2e-9), 0);
        var pattern = new HostCpuCost(new LinkCost(200e-6, 0.4e-9), 0);
        var steps = new HostCpuCost(new LinkCost(A, B), 0);
        var link = new LinkFit("loopback-gloo", "gloo", "all_reduce", 2, new LinkCost(1e-4, 1e-9), 6, 0.1, isolated, pattern, steps);
        Assert.Same(steps, link.HostCpuPerDdpBucket);
        Assert.Same(pattern, (link with { HostCpuOfDdpStep = null }).HostCpuPerDdpBucket);
        Assert.Same(isolated, (link with { HostCpuOfDdpStep = null, HostCpuInDdp = null }).HostCpuPerDdpBucket);
        Assert.Null((link with { HostCpuOfDdpStep = null, HostCpuInDdp = null, HostCpu = null }).HostCpuPerDdpBucket);
    }

    [Fact]
    public void Writer_RoundTripsTheRows_AndTheFitReachesTheProfile()
    {
        using var dir = new TempDirectory();
        var set = CommittedWithoutBroadcastRows with { DdpSteps = HandMade };
        MeasurementSetWriter.Write(set, dir.File("measurements.json"));
        var back = MeasurementSetReader.Read(dir.File("measurements.json"));
        Assert.Equal(HandMade.Select(Key), back.DdpStepRows.Select(Key));
        var profile = CalibrationFitter.Fit(back);
        CalibrationProfileWriter.Write(profile, dir.File("profile.json"));
        var link = Assert.Single(CalibrationProfileReader.Read(dir.File("profile.json")).Links, l => l.Collective == "all_reduce");
        Assert.Equal(A, link.HostCpuOfDdpStep!.Line.AlphaSeconds, 1e-10);
        Assert.Same(link.HostCpuOfDdpStep, link.HostCpuPerDdpBucket);
        Assert.Equal(WallB, link.DdpStepWall!.Line.BetaSecondsPerByte, 1e-16);
        Assert.Equal(0.9 / 0.75, link.CoRunComputeFactor!.Value, 1e-12);
    }

    private static string Key(DdpStepMeasurement r) => FormattableString.Invariant(
        $"{r.Backend} {r.WorldSize} {r.Layers} {r.Width} {r.Bytes} {r.BucketCapBytes} [{string.Join(",", r.BucketSizes)}] {r.Steps} {r.CpuSeconds:R} {r.MainThreadCpuSeconds:R} {r.PlainCpuSeconds:R} {r.PlainMainThreadCpuSeconds:R} {r.WallSeconds:R} {r.PlainWallSeconds:R} {r.SoloMainThreadCpuSeconds:R} {r.SoloWallSeconds:R}");

    [Fact]
    public void CurrentVersion_NeedsTheSection_WithLocatedErrors_AndOlderVersionsReadWithoutTheirNewerKeys()
    {
        using var dir = new TempDirectory();
        string path = dir.File("measurements.json");
        MeasurementSetWriter.Write(CommittedWithoutBroadcastRows with { DdpSteps = HandMade }, path);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(MeasurementSetReader.CurrentVersion, (int)root["version"]!);

        string Error(Action<JsonNode> mutate)
        {
            var copy = JsonNode.Parse(root.ToJsonString())!;
            mutate(copy);
            File.WriteAllText(path, copy.ToJsonString());
            return Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(path)).Message;
        }
        Assert.Contains("$.ddp_steps[2].bucket_sizes: expected buckets adding up to bytes (4194304), got 2097152",
            Error(r => r["ddp_steps"]![2]!["bucket_sizes"] = new JsonArray(1 << 20, 1 << 20)));
        Assert.Contains("$.ddp_steps[0].bucket_sizes: expected at least one bucket", Error(r => r["ddp_steps"]![0]!["bucket_sizes"] = new JsonArray()));
        Assert.Contains("$.ddp_steps[1].bucket_sizes[0]", Error(r => r["ddp_steps"]![1]!["bucket_sizes"]![0] = -5));
        Assert.Contains("$.ddp_steps[3].plain_cpu_median_s", Error(r => r["ddp_steps"]![3]!["plain_cpu_median_s"] = 0));
        Assert.Contains("$.ddp_steps[4].main_cpu_median_s: expected at most cpu_median_s", Error(r => r["ddp_steps"]![4]!["main_cpu_median_s"] = 1.0));
        Assert.Contains("$.ddp_steps: missing", Error(r => r.AsObject().Remove("ddp_steps")));
        Assert.Contains("$.ddp_steps[1].solo_main_cpu_median_s", Error(r => r["ddp_steps"]![1]!.AsObject().Remove("solo_main_cpu_median_s")));
        Assert.Contains("$.ddp_steps[2].solo_wall_median_s", Error(r => r["ddp_steps"]![2]!["solo_wall_median_s"] = -1));
        Assert.Contains("$.allocator: missing", Error(r => r.AsObject().Remove("allocator")));
        Assert.Contains("$.ddp_steps[0].tensors", Error(r => r["ddp_steps"]![0]!["tensors"] = 0));

        // A version 7 file (before the two-rank buffer broadcast rows) reads without them.
        var v7 = JsonNode.Parse(root.ToJsonString())!;
        v7["version"] = 7;
        v7.AsObject().Remove("ddp_buffer_broadcast");
        File.WriteAllText(path, v7.ToJsonString());
        Assert.Empty(MeasurementSetReader.Read(path).DdpBufferBroadcastRows);

        // A version 6 file (two-rank rows timed with a barrier before each step; v7 times free-running loops, same keys)
        // reads the same rows.
        var v6 = JsonNode.Parse(v7.ToJsonString())!;
        v6["version"] = 6;
        File.WriteAllText(path, v6.ToJsonString());
        Assert.Equal(HandMade.Select(Key), MeasurementSetReader.Read(path).DdpStepRows.Select(Key));

        // A version 5 file (before the pinned allocator) reads without "allocator": not pinned.
        var v5 = JsonNode.Parse(v7.ToJsonString())!;
        v5["version"] = 5;
        v5.AsObject().Remove("allocator");
        File.WriteAllText(path, v5.ToJsonString());
        var read5 = MeasurementSetReader.Read(path);
        Assert.Null(read5.Allocator);
        Assert.False(read5.AllocatorPinned);

        // A version 4 file (before the solo step) reads without the solo keys; its profile has the DDP step CPU line
        // but neither v5 term.
        var v4 = JsonNode.Parse(v7.ToJsonString())!;
        v4["version"] = 4;
        foreach (var row in v4["ddp_steps"]!.AsArray())
            foreach (var key in new[] { "solo_main_cpu_median_s", "solo_wall_median_s" }) row!.AsObject().Remove(key);
        File.WriteAllText(path, v4.ToJsonString());
        var read4 = MeasurementSetReader.Read(path);
        Assert.All(read4.DdpStepRows, r => Assert.Null(r.SoloMainThreadCpuSeconds));
        var link4 = Assert.Single(CalibrationFitter.Fit(read4).Links, l => l.Collective == "all_reduce");
        Assert.NotNull(link4.HostCpuOfDdpStep);
        Assert.Null(link4.DdpStepWall);
        Assert.Null(link4.CoRunComputeFactor);

        // A version 3 file (before the DDP step benchmark) reads without the section; its profile falls
        // back to the DDP-pattern cost.
        var v3 = JsonNode.Parse(v7.ToJsonString())!;
        v3["version"] = 3;
        v3.AsObject().Remove("ddp_steps");
        File.WriteAllText(path, v3.ToJsonString());
        var set = MeasurementSetReader.Read(path);
        Assert.Empty(set.DdpStepRows);
        var link = Assert.Single(CalibrationFitter.Fit(set).Links, l => l.Collective == "all_reduce");
        Assert.Null(link.HostCpuOfDdpStep);
        Assert.Same(link.HostCpuInDdp, link.HostCpuPerDdpBucket);
    }

    [Fact]
    public void Profile_CarriesTheDdpStepLine_OnlyFromVersion4_AndTheWallAndCoRunTerms_OnlyFromVersion5()
    {
        using var dir = new TempDirectory();
        string path = dir.File("p.json");
        CalibrationProfileWriter.Write(CalibrationFitter.Fit(CommittedWithoutBroadcastRows with { DdpSteps = HandMade, DdpBufferSync = [] }), path);
        var p = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(CalibrationProfile.CurrentSchemaVersion, (int)p["version"]!);
        // the hand-made rows have one tensor per layer and no buffer sync or broadcast rows: no v6 or v7 term, so the same file
        // reads as version 5
        Assert.Null(p["links"]![0]!["ddp_alone_cpu_s_per_tensor"]);
        p["version"] = 4;
        File.WriteAllText(path, p.ToJsonString());
        Assert.Contains("$.links[0].ddp_step_wall_alpha_s: unknown key", Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(path)).Message);
        foreach (var key in new[] { "ddp_step_wall_alpha_s", "ddp_step_wall_beta_s_per_byte", "ddp_step_wall_median_relative_error",
                     "ddp_alone_cpu_alpha_s", "ddp_alone_cpu_beta_s_per_byte", "ddp_alone_cpu_median_relative_error" }) p["links"]![0]!.AsObject().Remove(key);
        File.WriteAllText(path, p.ToJsonString());
        Assert.Contains("$.links[0].co_run_compute_factor: unknown key", Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(path)).Message);
        p["links"]![0]!.AsObject().Remove("co_run_compute_factor");
        File.WriteAllText(path, p.ToJsonString());
        var v4 = Assert.Single(CalibrationProfileReader.Read(path).Links, l => l.Collective == "all_reduce");
        Assert.Null(v4.DdpStepWall);
        Assert.Null(v4.CoRunComputeFactor);
        Assert.NotNull(v4.HostCpuOfDdpStep);
        p["version"] = 3;
        File.WriteAllText(path, p.ToJsonString());
        Assert.Contains("$.links[0].ddp_step_cpu_alpha_s: unknown key", Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(path)).Message);
        foreach (var key in new[] { "ddp_step_cpu_alpha_s", "ddp_step_cpu_beta_s_per_byte", "ddp_step_cpu_median_relative_error" }) p["links"]![0]!.AsObject().Remove(key);
        File.WriteAllText(path, p.ToJsonString());
        var v3 = Assert.Single(CalibrationProfileReader.Read(path).Links, l => l.Collective == "all_reduce");
        Assert.Null(v3.HostCpuOfDdpStep);
        Assert.NotNull(v3.HostCpuPerDdpBucket);
        p["version"] = CalibrationProfile.CurrentSchemaVersion + 1;
        File.WriteAllText(path, p.ToJsonString());
        Assert.Contains($"$.version: unsupported version {CalibrationProfile.CurrentSchemaVersion + 1}", Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(path)).Message);
    }
}
