using System.Text.Json.Nodes;
using Sim.Calibration.Fitting;
using Sim.Calibration.Profiles;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Tests;

/// <summary>
/// Calibration profiles: fitted from the committed traces deterministically, written and read
/// back bit for bit, and rejected with the key path named when a field is wrong.
/// </summary>
public sealed class ProfileTests
{
    private static CalibrationProfile FitCommitted() => CalibrationFitter.FitDirectory(RepositoryPaths.CpuTraces);

    [Fact]
    public void CommittedTraces_FitIntoACompleteProfile()
    {
        var p = FitCommitted();
        Assert.Equal(CalibrationProfile.CurrentSchemaVersion, p.SchemaVersion);
        Assert.Equal("AMD EPYC", p.Hardware.CpuModel);
        Assert.Equal(1, p.Hardware.Threads);
        Assert.StartsWith("1.13", p.Hardware.TorchVersion);
        Assert.Equal(MeasurementSetReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json")).Created, p.Created);
        Assert.Equal(["aten::add", "aten::conv2d", "aten::layer_norm", "aten::linear", "aten::mm", "aten::relu", "aten::softmax"], p.Operations.Select(o => o.Name));
        Assert.Equal(["cnn", "mlp", "transformer"], p.Models.Select(m => m.Model));
        var link = Assert.Single(p.Links, l => l.Collective == "all_reduce");
        Assert.Equal("loopback-gloo", link.LinkClass);
        Assert.Equal(2, link.Ranks);
        // v2 measurements carry each rank's CPU time per all-reduce: fitted as the host CPU cost, which
        // grows with the message and stays below the wall-clock collective time at the largest size
        // (each rank's CPU work is part of what the collective waits for).
        var cpu = Assert.IsType<HostCpuCost>(link.HostCpu);
        Assert.True(cpu.Line.BetaSecondsPerByte > 0);
        var largest = MeasurementSetReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json")).Collectives.MaxBy(c => c.Bytes)!;
        Assert.InRange(cpu.Seconds(largest.Bytes) / largest.Seconds, 0.2, 1.2);
        Assert.NotNull(p.Jitter);
        Assert.Contains(p.Sources, s => s.Kind == "legacy-trace" && s.Records > 100);
        // the roofline bounds every measured kernel from below
        var set = MeasurementSetReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json"));
        Assert.All(set.Ops, o => Assert.True(p.Roofline.Seconds(o.Flops, o.Bytes) <= o.MedianSeconds * (1 + 1e-12)));
    }

    [Fact]
    public void Fitting_IsDeterministic_AndRoundTripsBitForBit()
    {
        using var dir = new TempDirectory();
        string a = dir.File("a.json"), b = dir.File("b.json"), c = dir.File("c.json");
        CalibrationProfileWriter.Write(FitCommitted(), a);
        CalibrationProfileWriter.Write(FitCommitted(), b);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        CalibrationProfileWriter.Write(CalibrationProfileReader.Read(a), c);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(c));
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp-*"));
    }

    [Fact]
    public void ComputeModel_UsesOpThenClassThenRoofline()
    {
        var p = FitCommitted();
        var compute = p.Compute();
        Assert.Equal("op", compute.SourceFor("aten::mm", "matmul"));
        Assert.Equal("class", compute.SourceFor("aten::bmm", "matmul"));
        Assert.Equal("roofline", compute.SourceFor("aten::unknown", null));
        Assert.Equal(p.Roofline.Seconds(1e9, 1e6), compute.Seconds("aten::unknown", null, 1e9, 1e6));
        // more work never takes less time, for every op and class, inside and outside the table
        foreach (var (op, cls) in p.Operations.Select(o => (o.Name, o.OpClass)).Concat(p.OperationClasses.Select(c => ("aten::other", c.OpClass))))
        {
            double last = 0;
            for (double w = 1e2; w < 1e11; w *= 1.3)
            {
                double t = compute.Seconds(op, cls, w, w);
                Assert.True(t >= last, $"{op}/{cls}: {t} s at work {w} is less than {last} s at smaller work");
                last = t;
            }
        }
    }

    public static TheoryData<string, string, string> Corruptions => new()
    {
        { "$.version", "99", "unsupported version 99" },
        { "$.schema", "\"other\"", "expected \"sim-calibration-profile\"" },
        { "$.roofline.peak_flops_per_s", "-1", "expected a number > 0" },
        { "$.links[0].beta_s_per_byte", "\"fast\"", "expected a number" },
        { "$.links[0].cpu_beta_s_per_byte", "0", "expected a number > 0" },
        { "$.operations[1].curve.sharpness", "0", "expected a number > 0" },
        { "$.operations[0].table[2]", "[1]", "expected a pair" },
        { "$.models[0].speed", "1", "unknown key" },
        { "$.jitter.family", "\"cauchy\"", "expected \"lognormal\" or \"gamma\"" },
    };

    [Theory]
    [MemberData(nameof(Corruptions))]
    public void CorruptedProfile_NamesTheKeyPath(string keyPath, string replacementJson, string expected)
    {
        using var dir = new TempDirectory();
        string good = dir.File("good.json"), bad = dir.File("bad.json");
        CalibrationProfileWriter.Write(FitCommitted(), good);
        var root = JsonNode.Parse(File.ReadAllText(good))!;
        SetAt(root, keyPath, JsonNode.Parse(replacementJson));
        File.WriteAllText(bad, root.ToJsonString());
        var ex = Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(bad));
        Assert.Contains("bad.json", ex.Message);
        Assert.Contains(keyPath, ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void MissingKeyAndMalformedJson_AreNamed()
    {
        using var dir = new TempDirectory();
        string good = dir.File("good.json"), bad = dir.File("bad.json");
        CalibrationProfileWriter.Write(FitCommitted(), good);
        var root = JsonNode.Parse(File.ReadAllText(good))!.AsObject();
        root["roofline"]!.AsObject().Remove("memory_bytes_per_s");
        File.WriteAllText(bad, root.ToJsonString());
        var ex = Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(bad));
        Assert.Contains("$.roofline.memory_bytes_per_s: missing", ex.Message);

        File.WriteAllText(bad, File.ReadAllText(good)[..200]);
        ex = Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(bad));
        Assert.Contains("malformed JSON", ex.Message);
    }

    [Fact]
    public void Measurements_WrongField_NamesTheKeyPath()
    {
        using var dir = new TempDirectory();
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json")))!;
        root["ops"]![3]!["median_s"] = "slow";
        string path = dir.File("measurements.json");
        File.WriteAllText(path, root.ToJsonString());
        var ex = Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(path));
        Assert.Contains("$.ops[3].median_s: expected a number, got String", ex.Message);

        root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json")))!;
        root["models"]![0]!.AsObject().Remove("batch");
        File.WriteAllText(path, root.ToJsonString());
        ex = Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(path));
        Assert.Contains("$.models[0].batch: missing", ex.Message);
    }

    [Fact]
    public void Version1Files_StillRead_WithoutHostCpu_AndVersion2NeedsTheCpuTimes()
    {
        using var dir = new TempDirectory();
        string path = dir.File("measurements.json");
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json")))!;
        foreach (var c in root["collectives"]!.AsArray()) c!.AsObject().Remove("cpu_median_s");
        File.WriteAllText(path, root.ToJsonString());
        var ex = Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(path));
        Assert.Contains("$.collectives[0].cpu_median_s: missing", ex.Message);
        root["version"] = 1;
        File.WriteAllText(path, root.ToJsonString());
        var old = MeasurementSetReader.Read(path);
        Assert.All(old.Collectives, c => Assert.Null(c.CpuSeconds));
        Assert.Null(Assert.Single(CalibrationFitter.Fit(old).Links, l => l.Collective == "all_reduce").HostCpu);

        // A version 1 profile (no CPU keys) reads; CPU keys need version 2.
        string profile = dir.File("p.json");
        CalibrationProfileWriter.Write(FitCommitted(), profile);
        var p = JsonNode.Parse(File.ReadAllText(profile))!;
        p["version"] = 1;
        File.WriteAllText(profile, p.ToJsonString());
        Assert.Contains("$.links[0].cpu_alpha_s: unknown key", Assert.Throws<TraceFormatException>(() => CalibrationProfileReader.Read(profile)).Message);
        foreach (var key in new[] { "cpu_alpha_s", "cpu_beta_s_per_byte", "cpu_median_relative_error", "ddp_cpu_alpha_s", "ddp_cpu_beta_s_per_byte", "ddp_cpu_median_relative_error", "ddp_step_cpu_alpha_s", "ddp_step_cpu_beta_s_per_byte", "ddp_step_cpu_median_relative_error",
                     "ddp_step_wall_alpha_s", "ddp_step_wall_beta_s_per_byte", "ddp_step_wall_median_relative_error", "co_run_compute_factor",
                     "ddp_alone_cpu_alpha_s", "ddp_alone_cpu_beta_s_per_byte", "ddp_alone_cpu_median_relative_error", "co_run_conv_compute_factor",
                     "ddp_step_cpu_s_per_tensor", "ddp_alone_cpu_s_per_tensor", "ddp_alone_buffer_sync_s", "ddp_alone_buffer_sync_s_per_tensor",
                     "ddp_alone_buffer_sync_median_relative_error", "ddp_alone_compute_thread_share",
                     "ddp_buffer_broadcast_s", "ddp_buffer_broadcast_s_per_tensor", "ddp_buffer_broadcast_median_relative_error",
                     "ddp_buffer_broadcast_wall_s", "ddp_buffer_broadcast_wall_s_per_tensor", "ddp_buffer_broadcast_wall_median_relative_error",
                     "ddp_alone_cpu_s_per_step" })
            foreach (var link in p["links"]!.AsArray()) link!.AsObject().Remove(key);
        File.WriteAllText(profile, p.ToJsonString());
        Assert.Null(Assert.Single(CalibrationProfileReader.Read(profile).Links, l => l.Collective == "all_reduce").HostCpu);
    }

    /// <summary>Replaces the node at a simple path like $.a.b[2].c.</summary>
    private static void SetAt(JsonNode root, string path, JsonNode? value)
    {
        var parts = System.Text.RegularExpressions.Regex.Matches(path[2..], @"([^.\[\]]+)|\[(\d+)\]").Select(m => m.Value).ToList();
        JsonNode node = root;
        for (int i = 0; i < parts.Count - 1; i++)
            node = parts[i].StartsWith('[') ? node[int.Parse(parts[i][1..^1])]! : node[parts[i]]!;
        string last = parts[^1];
        if (last.StartsWith('[')) node[int.Parse(last[1..^1])] = value;
        else node[last] = value;
    }
}

public sealed class LayerMeasurementTests
{
    private static Traces.MeasurementSet Committed() =>
        Traces.MeasurementSetReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json"));

    [Fact]
    public void LayerFlops_AddUpToTheModelsForwardFlops()
    {
        foreach (var step in Committed().Models)
        {
            Assert.NotEmpty(step.Layers);
            Assert.Equal(step.ForwardFlops, step.Layers.Sum(l => l.ForwardFlops));
            Assert.Equal(step.Parameters, step.Layers.Sum(l => l.Parameters));
        }
    }

    [Fact]
    public void LayerTimes_AccountForMostOfTheStep_AndNeverExceedIt()
    {
        // The layers' forward and backward exclude the loss, zero_grad and the optimizer step, so
        // they sum to less than a step; hooks add a little overhead, hence the 10% allowance.
        foreach (var step in Committed().Models.Where(m => m.Batch >= 8))
        {
            double layers = step.Layers.Sum(l => l.ForwardSeconds + l.BackwardSeconds);
            Assert.InRange(layers / step.MedianSeconds, 0.5, 1.1);
        }
    }

    [Fact]
    public void LayerNames_FollowTheModelsForwardOrder()
    {
        var set = Committed();
        Assert.Equal(["stem", "layer1", "layer2", "head"], set.Models.First(m => m.Model == "cnn").Layers.Select(l => l.Name));
        Assert.Equal(["embed", "block", "head"], set.Models.First(m => m.Model == "transformer").Layers.Select(l => l.Name));
        Assert.Equal(["Linear", "ReLU", "Linear", "ReLU", "Linear"], set.Models.First(m => m.Model == "mlp").Layers.Select(l => l.Kind));
    }
}
