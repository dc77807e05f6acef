using System.Text.Json.Nodes;
using Sim.Calibration.Fitting;
using Sim.Calibration.Profiles;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Tests;

/// <summary>
/// gloo's CPU cost in DDP's pattern (sim-measurements v3): the reader checks the new section and
/// keeps reading v2 files without it, the fit recovers a hand-made per-bucket line exactly, and
/// profiles carry the fitted line (v3) and reject it in older versions.
/// </summary>
public sealed class DdpPatternTests
{
    private static string Committed => Path.Combine(RepositoryPaths.CpuTraces, "measurements.json");

    /// <summary>A row whose communication costs exactly <paramref name="perBucket"/> per bucket on
    /// top of 0.3 ms of compute per bucket.</summary>
    private static DdpPatternMeasurement Row(long bytes, int buckets, double perBucket) =>
        new("gloo", 2, bytes, buckets, 2 * Math.Pow(256, 3), 15, WallSeconds: buckets * (0.3e-3 + 2 * perBucket),
            CpuSeconds: buckets * (0.3e-3 + perBucket), MainThreadCpuSeconds: buckets * 0.31e-3,
            ComputeWallSeconds: buckets * 0.3e-3, ComputeCpuSeconds: buckets * 0.3e-3);

    [Fact]
    public void Fit_RecoversAHandMadePerBucketLine()
    {
        // cpu(S) = 200 us + 0.5 ns/B per bucket: 64 KiB -> 232.768 us, 1 MiB -> 724.288 us, 4 MiB -> 2297.152 us.
        var rows = new[] { (65536L, 232.768e-6), (1048576L, 724.288e-6), (4194304L, 2297.152e-6) }
            .SelectMany(p => new[] { Row(p.Item1, 1, p.Item2), Row(p.Item1, 4, p.Item2) }).ToList();
        Assert.Equal(232.768e-6, rows[1].CommunicationCpuSecondsPerBucket, 1e-12);
        var cost = Assert.IsType<HostCpuCost>(CalibrationFitter.FitHostCpuInDdp(rows));
        Assert.Equal(200e-6, cost.Line.AlphaSeconds, 1e-10);
        Assert.Equal(0.5e-9, cost.Line.BetaSecondsPerByte, 1e-15);
        Assert.Equal(0, cost.MedianRelativeError, 1e-9);
        // One bucket size cannot separate the per-call and per-byte parts; no extra CPU is noise, not a
        // cost: such a row is left out (the line stays exact), and with it too few sizes may remain.
        Assert.Null(CalibrationFitter.FitHostCpuInDdp(rows.Take(2).ToList()));
        var withNoise = Assert.IsType<HostCpuCost>(CalibrationFitter.FitHostCpuInDdp([.. rows, Row(1 << 20, 1, 0)]));
        Assert.Equal(200e-6, withNoise.Line.AlphaSeconds, 1e-10);
        Assert.Null(CalibrationFitter.FitHostCpuInDdp([.. rows.Take(2), Row(1 << 20, 1, -1e-5)]));
    }

    [Fact]
    public void CommittedMeasurements_HaveThePattern_AndTheProfileUsesIt()
    {
        var set = MeasurementSetReader.Read(Committed);
        Assert.NotEmpty(set.DdpPatternRows);
        Assert.All(set.DdpPatternRows, r =>
        {
            Assert.Equal(2, r.WorldSize);
            Assert.True(r.MainThreadCpuSeconds <= r.CpuSeconds);
            Assert.True(r.CommunicationCpuSecondsPerBucket > 0);
        });
        var link = Assert.Single(CalibrationFitter.Fit(set).Links, l => l.Collective == "all_reduce");
        var ddp = Assert.IsType<HostCpuCost>(link.HostCpuInDdp);
        Assert.Equal(CalibrationFitter.FitHostCpuInDdp(set.DdpPatternRows)!.Line, ddp.Line);
        // The committed profile was refitted from these measurements.
        var profile = CalibrationProfileReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "profile.json"));
        Assert.Equal(ddp.Line, Assert.Single(profile.Links, l => l.Collective == "all_reduce").HostCpuInDdp!.Line);
    }

    [Fact]
    public void Version3_NeedsTheSection_AndVersion2ReadsWithoutIt()
    {
        using var dir = new TempDirectory();
        string path = dir.File("measurements.json");
        var root = JsonNode.Parse(File.ReadAllText(Committed))!;
        root["ddp_pattern"]![1]!["compute_cpu_median_s"] = -1;
        File.WriteAllText(path, root.ToJsonString());
        Assert.Contains("$.ddp_pattern[1].compute_cpu_median_s", Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(path)).Message);
        root["ddp_pattern"]![1]!["compute_cpu_median_s"] = 1e-3;
        root["ddp_pattern"]![1]!["main_cpu_median_s"] = 1.0;
        File.WriteAllText(path, root.ToJsonString());
        Assert.Contains("$.ddp_pattern[1].main_cpu_median_s: expected at most cpu_median_s", Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(path)).Message);
        root.AsObject().Remove("ddp_pattern");
        File.WriteAllText(path, root.ToJsonString());
        Assert.Contains("$.ddp_pattern: missing", Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(path)).Message);
        root["version"] = 2;
        File.WriteAllText(path, root.ToJsonString());
        var v2 = MeasurementSetReader.Read(path);
        Assert.Empty(v2.DdpPatternRows);
        var link = Assert.Single(CalibrationFitter.Fit(v2).Links, l => l.Collective == "all_reduce");
        Assert.Null(link.HostCpuInDdp);
        Assert.NotNull(link.HostCpu);
    }

    [Fact]
    public void Profile_CarriesTheDdpLine_OnlyFromVersion3()
    {
        using var dir = new TempDirectory();
        string path = dir.File("p.json");
        CalibrationProfileWriter.Write(CalibrationFitter.FitDirectory(RepositoryPaths.CpuTraces), path);
        var read = Assert.Single(CalibrationProfileReader.Read(path).Links, l => l.Collective == "all_reduce");
        Assert.NotNull(read.HostCpuInDdp);
        var p = JsonNode.Parse(File.ReadAllText(path))!;
        p["version"] = 2;
        File.WriteAllText(path, p.ToJsonString());
        Assert.Contains("$.links[0].ddp_cpu_alpha_s: unknown key", Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(path)).Message);
        foreach (var key in new[] { "ddp_cpu_alpha_s", "ddp_cpu_beta_s_per_byte", "ddp_cpu_median_relative_error", "ddp_step_cpu_alpha_s", "ddp_step_cpu_beta_s_per_byte", "ddp_step_cpu_median_relative_error",
                     "ddp_step_wall_alpha_s", "ddp_step_wall_beta_s_per_byte", "ddp_step_wall_median_relative_error", "co_run_compute_factor",
                     "ddp_alone_cpu_alpha_s", "ddp_alone_cpu_beta_s_per_byte", "ddp_alone_cpu_median_relative_error", "co_run_conv_compute_factor",
                     "ddp_step_cpu_s_per_tensor", "ddp_alone_cpu_s_per_tensor", "ddp_alone_buffer_sync_s", "ddp_alone_buffer_sync_s_per_tensor",
                     "ddp_alone_buffer_sync_median_relative_error", "ddp_alone_compute_thread_share",
                     "ddp_buffer_broadcast_s", "ddp_buffer_broadcast_s_per_tensor", "ddp_buffer_broadcast_median_relative_error",
                     "ddp_buffer_broadcast_wall_s", "ddp_buffer_broadcast_wall_s_per_tensor", "ddp_buffer_broadcast_wall_median_relative_error",
                     "ddp_alone_cpu_s_per_step" })
            foreach (var link in p["links"]!.AsArray()) link!.AsObject().Remove(key);
        File.WriteAllText(path, p.ToJsonString());
        var v2 = Assert.Single(CalibrationProfileReader.Read(path).Links, l => l.Collective == "all_reduce");
        Assert.Null(v2.HostCpuInDdp);
        Assert.NotNull(v2.HostCpu);
    }
}
