using System.Text.Json.Nodes;
using Sim.Calibration.Fitting;
using Sim.Calibration.Profiles;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Tests;

/// <summary>
/// What a real DDP step costs a rank (sim-measurements v4, profile v4): the fit recovers a hand-made
/// per-bucket line exactly from steps with different bucket counts, the reader checks the new section
/// with located errors and keeps reading v3 files without it, the writer round-trips it, profiles
/// carry the line only from v4, and the cost the simulator charges per bucket prefers it.
/// </summary>
public sealed class DdpStepTests
{
    private static string Committed => Path.Combine(RepositoryPaths.CpuTraces, "measurements.json");

    private const double A = 250e-6, B = 0.45e-9;

    /// <summary>A configuration where DDP costs exactly <see cref="A"/> per bucket + <see cref="B"/> per byte
    /// on top of a 1 ms plain step.</summary>
    private static DdpStepMeasurement Row(int layers, int width, params long[] buckets)
    {
        long bytes = 4L * layers * width * width;
        Assert.Equal(bytes, buckets.Sum());
        double ddp = A * buckets.Length + B * bytes;
        return new DdpStepMeasurement("gloo", 2, layers, width, bytes, 25 << 20, buckets, 21, CpuSeconds: 1e-3 + ddp,
            MainThreadCpuSeconds: 0.9e-3 + ddp / 3, PlainCpuSeconds: 1e-3, PlainMainThreadCpuSeconds: 0.9e-3, WallSeconds: 3e-3, PlainWallSeconds: 1.1e-3);
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
        var set = MeasurementSetReader.Read(Committed) with { DdpSteps = HandMade };
        MeasurementSetWriter.Write(set, dir.File("measurements.json"));
        var back = MeasurementSetReader.Read(dir.File("measurements.json"));
        Assert.Equal(HandMade.Select(Key), back.DdpStepRows.Select(Key));
        var profile = CalibrationFitter.Fit(back);
        CalibrationProfileWriter.Write(profile, dir.File("profile.json"));
        var link = Assert.Single(CalibrationProfileReader.Read(dir.File("profile.json")).Links);
        Assert.Equal(A, link.HostCpuOfDdpStep!.Line.AlphaSeconds, 1e-10);
        Assert.Same(link.HostCpuOfDdpStep, link.HostCpuPerDdpBucket);
    }

    private static string Key(DdpStepMeasurement r) => FormattableString.Invariant(
        $"{r.Backend} {r.WorldSize} {r.Layers} {r.Width} {r.Bytes} {r.BucketCapBytes} [{string.Join(",", r.BucketSizes)}] {r.Steps} {r.CpuSeconds:R} {r.MainThreadCpuSeconds:R} {r.PlainCpuSeconds:R} {r.PlainMainThreadCpuSeconds:R} {r.WallSeconds:R} {r.PlainWallSeconds:R}");

    [Fact]
    public void Version4_NeedsTheSection_WithLocatedErrors_AndVersion3ReadsWithoutIt()
    {
        using var dir = new TempDirectory();
        string path = dir.File("measurements.json");
        MeasurementSetWriter.Write(MeasurementSetReader.Read(Committed) with { DdpSteps = HandMade }, path);
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(4, (int)root["version"]!);

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

        // A version 3 file (before the DDP step benchmark) reads without the section; its profile falls
        // back to the DDP-pattern cost.
        var v3 = JsonNode.Parse(root.ToJsonString())!;
        v3["version"] = 3;
        v3.AsObject().Remove("ddp_steps");
        File.WriteAllText(path, v3.ToJsonString());
        var set = MeasurementSetReader.Read(path);
        Assert.Empty(set.DdpStepRows);
        var link = Assert.Single(CalibrationFitter.Fit(set).Links);
        Assert.Null(link.HostCpuOfDdpStep);
        Assert.Same(link.HostCpuInDdp, link.HostCpuPerDdpBucket);
    }

    [Fact]
    public void Profile_CarriesTheDdpStepLine_OnlyFromVersion4()
    {
        using var dir = new TempDirectory();
        string path = dir.File("p.json");
        CalibrationProfileWriter.Write(CalibrationFitter.Fit(MeasurementSetReader.Read(Committed) with { DdpSteps = HandMade }), path);
        var p = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal(4, (int)p["version"]!);
        p["version"] = 3;
        File.WriteAllText(path, p.ToJsonString());
        Assert.Contains("$.links[0].ddp_step_cpu_alpha_s: unknown key", Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(path)).Message);
        foreach (var key in new[] { "ddp_step_cpu_alpha_s", "ddp_step_cpu_beta_s_per_byte", "ddp_step_cpu_median_relative_error" }) p["links"]![0]!.AsObject().Remove(key);
        File.WriteAllText(path, p.ToJsonString());
        var v3 = Assert.Single(CalibrationProfileReader.Read(path).Links);
        Assert.Null(v3.HostCpuOfDdpStep);
        Assert.NotNull(v3.HostCpuPerDdpBucket);
        p["version"] = 5;
        File.WriteAllText(path, p.ToJsonString());
        Assert.Contains("$.version: unsupported version 5", Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(path)).Message);
    }
}
