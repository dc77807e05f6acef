using System.Globalization;
using System.Text.Json;
using Sim.Calibration.Gpu;
using Sim.Calibration.Profiling;
using Sim.Calibration.Traces;
using Sim.Models.Compute;
using Sim.Models.Hardware;

namespace Sim.Calibration.Tests;

/// <summary>
/// `sim calibrate gpu-fit`'s fitter and reader: an oracle (measurements synthesized by GemmCost and the
/// kernel formulas give back the figures they were made with, and predict held-out shapes exactly),
/// located refusals of bad files, and the real profiler script's CPU format check read end to end.
/// </summary>
public sealed class GpuKernelFitterTests
{
    private const double Peak = 989.5e12, Bandwidth = 3350e9;

    /// <summary>An H100-like device (datasheet peak and bandwidth, 132 SMs) with arbitrary kernel figures.</summary>
    private static DeviceSpec Device(GpuKernelFacts facts) => new()
    {
        Name = "oracle-h100", IsGpu = true, PeakFlops = new Dictionary<Precision, double> { [Precision.Bf16] = Peak },
        MemoryBytes = 80e9, MemoryBandwidth = Bandwidth, Kernels = facts, Source = "test",
    };

    private static readonly GpuKernelFacts Truth = new()
    {
        StreamingMultiprocessors = 132, GemmTiles = [(256, 128), (128, 256), (128, 128)], GemmEfficiency = 0.713,
        MemoryEfficiency = 0.871, AttentionForwardEfficiency = 0.552, AttentionBackwardEfficiency = 0.431, KernelOverheadSeconds = 3.1e-6,
        SustainedClockFraction = 0.862, CausalAttentionForwardRelativeEfficiency = 0.81, Source = "truth",
    };

    /// <summary>The truth at the burst clock: every point but the soak's sustained timing is measured so.</summary>
    private static readonly GpuKernelFacts Burst = Truth with { SustainedClockFraction = 1 };

    /// <summary>What a GPU that obeys the model exactly would measure.</summary>
    private static GpuMeasurementSet Synthesized()
    {
        var gemms = new List<GemmMeasurement>();
        // Four 128-wide tile columns: 33 rows of tiles fill one wave of 132 SMs; one row less and one more.
        foreach (int rows in new[] { 32, 33, 34, 65, 66, 67 })
            gemms.Add(new(128 * rows, 512, 8192, GemmCost.Seconds(128 * rows, 512, 8192, Burst, Peak, Bandwidth, 2), false));
        // A skinny GEMM that its operand traffic bounds: the fit must leave it out.
        gemms.Add(new(128 * 131, 128, 8192, GemmCost.Seconds(128 * 131, 128, 8192, Burst, Peak, Bandwidth, 2), false));
        foreach (var (m, n, k) in new[] { (4096.0, 4096.0, 4096.0), (8192.0, 12288.0, 4096.0), (3000.0, 5000.0, 7000.0) })
            gemms.Add(new(m, n, k, GemmCost.Seconds(m, n, k, Burst, Peak, Bandwidth, 2), true));
        gemms.Add(new(8192, 8192, 8192, GemmCost.Seconds(8192, 8192, 8192, Burst, Peak, Bandwidth, 2), false));
        var attention = new List<AttentionMeasurement>();
        foreach (var (b, s, c) in new[] { (4, 2048, true), (2, 4096, false), (1, 8192, true) })
        {
            var shape = new AttentionMeasurement(b, 32, s, 128, c, 0, 0);
            attention.Add(shape with
            {
                ForwardSeconds = shape.ForwardFlops / (Peak * Truth.AttentionForwardEfficiency * (c ? Truth.CausalAttentionForwardRelativeEfficiency : 1)) + Truth.KernelOverheadSeconds,
                BackwardSeconds = KernelCompute.AttentionBackwardFlopRatio * shape.ForwardFlops / (Peak * Truth.AttentionBackwardEfficiency) + Truth.KernelOverheadSeconds,
            });
        }
        var memory = new[] { 1.6e9, 1.07e9, 2.1e9 }.Select((bytes, i) => new MemoryMeasurement($"op{i}", bytes, bytes / (Bandwidth * Truth.MemoryEfficiency) + Truth.KernelOverheadSeconds)).ToList();
        var step = new BlockStepMeasurement(4, 2048, 4096, 32, 16384, 0);
        step = step with { Seconds = GpuKernelFitter.PredictBlockStep(step, Device(Burst)) };
        return new GpuMeasurementSet
        {
            FilePath = "synth.json", DeviceKind = "cuda", DeviceName = "model H100", StreamingMultiprocessors = 132, TorchVersion = "2.4", CudaVersion = "12.4",
            Date = "2026-12-07", DataType = "bf16", KernelOverheadSeconds = Truth.KernelOverheadSeconds, Gemms = gemms, Attention = attention, Memory = memory, BlockStep = step,
            // The soak GEMM: the burst at the burst clock, the sustained time at the truth's clock fraction.
            Soak = new SoakMeasurement(8192, 8192, 8192, 60, GemmCost.Seconds(8192, 8192, 8192, Burst, Peak, Bandwidth, 2),
                GemmCost.Seconds(8192, 8192, 8192, Burst, Peak, Bandwidth, 2) / Truth.SustainedClockFraction, 1980, 1470),
        };
    }

    [Fact]
    public void The_fitter_recovers_the_figures_the_kernel_model_synthesized()
    {
        var start = Truth with { GemmEfficiency = 0.5, MemoryEfficiency = 0.5, AttentionForwardEfficiency = 0.5, AttentionBackwardEfficiency = 0.5, KernelOverheadSeconds = 2e-6, CausalAttentionForwardRelativeEfficiency = 1 };
        var fit = GpuKernelFitter.Fit(Synthesized(), Device(start));
        Assert.Equal(Truth.GemmEfficiency, fit.Facts.GemmEfficiency, 1e-12);
        Assert.Equal(Truth.MemoryEfficiency, fit.Facts.MemoryEfficiency, 1e-12);
        Assert.Equal(Truth.AttentionForwardEfficiency, fit.Facts.AttentionForwardEfficiency, 1e-12);
        Assert.Equal(Truth.CausalAttentionForwardRelativeEfficiency, fit.Facts.CausalAttentionForwardRelativeEfficiency, 1e-12); // causal and unmasked shapes both timed
        Assert.Equal(Truth.AttentionBackwardEfficiency, fit.Facts.AttentionBackwardEfficiency, 1e-12);
        Assert.Equal(Truth.KernelOverheadSeconds, fit.Facts.KernelOverheadSeconds, 1e-18);
        Assert.Equal(Truth.SustainedClockFraction, fit.Facts.SustainedClockFraction, 1e-12);
        Assert.True(fit.SustainedClockMeasured);
        Assert.Equal(132, fit.Facts.StreamingMultiprocessors);
        Assert.Equal(3, fit.HeldOutGemms.Count);
        Assert.All(fit.HeldOutGemms, p => Assert.True(Math.Abs(p.RelativeError) < 1e-9, $"{p.Name}: {p.RelativeError}"));
        Assert.True(Math.Abs(fit.BlockStep.RelativeError) < 1e-9, $"block step error {fit.BlockStep.RelativeError}");
        Assert.Empty(fit.Warnings);
    }

    [Fact]
    public void A_held_out_shape_measured_slower_than_the_model_shows_up_in_the_held_out_check_not_in_the_fit()
    {
        var set = Synthesized();
        set = set with { Gemms = set.Gemms.Select(g => g.HeldOut ? g with { Seconds = g.Seconds * 1.2 } : g).ToList() };
        var fit = GpuKernelFitter.Fit(set, Device(Truth));
        Assert.Equal(Truth.GemmEfficiency, fit.Facts.GemmEfficiency, 1e-12);
        Assert.Equal(1 / 1.2 - 1, fit.HeldOutGemms[0].RelativeError, 1e-9);
        Assert.Equal(1 - 1 / 1.2, fit.HeldOutGemmMedianError, 1e-9);
    }

    [Fact]
    public void Without_a_soak_the_sustained_clock_is_kept_from_the_base_device_and_said_so()
    {
        var fit = GpuKernelFitter.Fit(Synthesized() with { Soak = null }, Device(Truth with { SustainedClockFraction = 0.77 }));
        Assert.Equal(0.77, fit.Facts.SustainedClockFraction);
        Assert.False(fit.SustainedClockMeasured);
        Assert.Contains(fit.Warnings, w => w.Contains("no soak", StringComparison.Ordinal));
        Assert.Equal(Truth.GemmEfficiency, fit.Facts.GemmEfficiency, 1e-12); // the rest of the fit does not move
    }

    [Fact]
    public void A_soak_that_ran_faster_than_its_burst_measures_no_clock_drop()
    {
        var set = Synthesized();
        var fit = GpuKernelFitter.Fit(set with { Soak = set.Soak! with { SustainedSeconds = set.Soak.BurstSeconds * 0.98 } }, Device(Truth));
        Assert.Equal(1, fit.Facts.SustainedClockFraction);
        Assert.Contains(fit.Warnings, w => w.Contains("no clock drop", StringComparison.Ordinal));
    }

    [Fact]
    public void An_sm_count_that_differs_from_the_base_device_is_warned_about()
    {
        var fit = GpuKernelFitter.Fit(Synthesized() with { StreamingMultiprocessors = 114 }, Device(Truth));
        Assert.Contains(fit.Warnings, w => w.Contains("114 SMs", StringComparison.Ordinal));
    }

    [Fact]
    public void The_fitted_yaml_replaces_only_the_kernels_block_and_names_the_measurements()
    {
        const string baseYaml = "name: m\ndevice:\n  name: G\n  kernels:\n    sms: 1\n    gemm_efficiency: 0.1   # old\n  source: datasheet\ndevices_per_node: 8\nsource: base\n";
        string yaml = HardwareYamlKernels.Replace(baseYaml, Truth, "gpu-measurements.json", "2026-12-07");
        Assert.DoesNotContain("0.1   # old", yaml, StringComparison.Ordinal);
        Assert.Contains("    gemm_efficiency: " + Truth.GemmEfficiency.ToString("R", CultureInfo.InvariantCulture) + "\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    sms: 132\n", yaml, StringComparison.Ordinal);
        Assert.Contains("    sustained_clock_fraction: 0.862   # soak", yaml, StringComparison.Ordinal);
        Assert.Contains("    sustained_clock_fraction: 0.862   # kept from the base file", HardwareYamlKernels.Replace(baseYaml, Truth, "m.json", "d", sustainedClockMeasured: false), StringComparison.Ordinal);
        Assert.Contains("    gemm_tiles: [256x128, 128x256, 128x128]\n", yaml, StringComparison.Ordinal);
        Assert.Contains("  source: datasheet\ndevices_per_node: 8\n", yaml, StringComparison.Ordinal);
        Assert.Contains("source: base; kernels measured by sim calibrate gpu-fit from gpu-measurements.json (2026-12-07)\n", yaml, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => HardwareYamlKernels.Replace("name: m\ndevice:\n  name: G\n", Truth, "f", "d"));
    }

    [Fact]
    public void Fitted_fractions_outside_what_a_hardware_file_accepts_are_refused()
    {
        var set = Synthesized();
        var slow = set with { Memory = set.Memory.Select(m => m with { Seconds = m.Seconds * 1e4 }).ToList() };
        var e = Assert.Throws<ArgumentException>(() => GpuKernelFitter.Fit(slow, Device(Truth)));
        Assert.Contains("memory_efficiency", e.Message, StringComparison.Ordinal);
    }

    private static string Valid() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["format"] = "sim-gpu-measurements", ["version"] = 2,
        ["device"] = new { kind = "cuda", name = "H100", sms = 132, torch = "2.4", cuda = "12.4" },
        ["date"] = "2026-12-07", ["dtype"] = "bf16", ["launch_overhead"] = new { kernels = 1000, seconds_per_kernel = 2e-6 },
        ["gemms"] = new object[] { new { m = 4096, n = 4096, k = 4096, seconds = 2e-4, held_out = false }, new { m = 8192, n = 8192, k = 8192, seconds = 1.5e-3, held_out = true } },
        ["attention"] = new object[] { new { batch = 4, heads = 32, seq = 2048, head_dim = 128, causal = true, forward_seconds = 1e-3, backward_seconds = 3e-3 } },
        ["memory"] = new object[] { new { op = "add", bytes = 1.6e9, seconds = 5.5e-4 } },
        ["block_step"] = new { batch = 4, seq = 2048, hidden = 4096, heads = 32, ffn = 16384, seconds = 0.02 },
        ["soak"] = new { m = 8192, n = 8192, k = 8192, soak_seconds = 60.0, burst_seconds = 1.4e-3, sustained_seconds = 1.65e-3, burst_clock_mhz = 1980.0, sustained_clock_mhz = (double?)null },
    }, Indented);

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    [Fact]
    public void A_valid_file_reads()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("m.json"), Valid());
        var set = GpuMeasurementReader.Read(dir.File("m.json"));
        Assert.True(set.IsGpu);
        Assert.Equal(2, set.Gemms.Count);
        Assert.True(set.Gemms[1].HeldOut);
        Assert.Equal(1e-3, set.Attention[0].ForwardSeconds);
        Assert.Equal(0.02, set.BlockStep.Seconds);
        Assert.Equal(1.4e-3 / 1.65e-3, set.Soak!.SustainedFraction, 15);
        Assert.Equal(1980, set.Soak.BurstClockMhz);
        Assert.Null(set.Soak.SustainedClockMhz);
    }

    [Fact]
    public void A_version_1_file_reads_without_a_soak_and_may_not_carry_one()
    {
        using var dir = new TempDirectory();
        var v1 = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(Valid())!;
        v1["version"] = JsonSerializer.SerializeToElement(1);
        File.WriteAllText(dir.File("v1-soak.json"), JsonSerializer.Serialize(v1, Indented));
        var e = Assert.Throws<TraceFormatException>(() => GpuMeasurementReader.Read(dir.File("v1-soak.json")));
        Assert.Contains("$.soak", e.Location, StringComparison.Ordinal);
        v1.Remove("soak");
        File.WriteAllText(dir.File("v1.json"), JsonSerializer.Serialize(v1, Indented));
        Assert.Null(GpuMeasurementReader.Read(dir.File("v1.json")).Soak);
    }

    [Theory]
    [InlineData("\"version\": 2", "\"version\": 3", "$.version", "expected 1 or 2")]
    [InlineData("\"sustained_seconds\": 0.00165", "\"sustained_seconds\": 0", "$.soak.sustained_seconds", "> 0")]
    [InlineData("\"soak_seconds\": 60", "\"soak_secs\": 60", "$.soak.soak_secs", "unknown key")]
    [InlineData("\"format\": \"sim-gpu-measurements\"", "\"format\": \"other\"", "$.format", "sim-gpu-measurements")]
    [InlineData("\"kind\": \"cuda\"", "\"kind\": \"rocm\"", "$.device.kind", "'cuda' or 'cpu'")]
    [InlineData("\"seconds\": 0.0002", "\"seconds\": -1", "$.gemms[0].seconds", "> 0")]
    [InlineData("\"m\": 4096", "\"m\": 4096.5", "$.gemms[0].m", "integer")]
    [InlineData("\"held_out\": false", "\"held_out\": true", "$.gemms", "held_out false")]
    [InlineData("\"op\": \"add\"", "\"op\": \"add\", \"extra\": 1", "$.memory[0].extra", "unknown key")]
    [InlineData("\"ffn\": 16384", "\"ffn\": \"wide\"", "$.block_step.ffn", "a number")]
    [InlineData("\"heads\": 32,\n    \"ffn\"", "\"heads\": 30,\n    \"ffn\"", "$.block_step.heads", "divisor of hidden 4096")]
    [InlineData("\"backward_seconds\": 0.003", "\"backward_seconds\": 0.003,", "line", "malformed JSON")]
    public void Bad_files_are_refused_with_the_file_and_key_path(string find, string replace, string location, string expected)
    {
        using var dir = new TempDirectory();
        string text = Valid();
        Assert.Contains(find, text, StringComparison.Ordinal);
        File.WriteAllText(dir.File("bad.json"), text.Replace(find, replace, StringComparison.Ordinal));
        var e = Assert.Throws<TraceFormatException>(() => GpuMeasurementReader.Read(dir.File("bad.json")));
        Assert.Equal(dir.File("bad.json"), e.FilePath);
        Assert.Contains(location, e.Location, StringComparison.Ordinal);
        Assert.StartsWith("line ", e.Location, StringComparison.Ordinal);
        Assert.Contains(expected, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_path_error_points_at_the_line_and_column_of_the_value()
    {
        using var dir = new TempDirectory();
        string text = Valid().Replace("\"seconds\": 0.0002", "\"seconds\": -1", StringComparison.Ordinal);
        File.WriteAllText(dir.File("bad.json"), text);
        var lines = text.Split('\n');
        int line = Array.FindIndex(lines, l => l.Contains("\"seconds\": -1", StringComparison.Ordinal)) + 1;
        int column = lines[line - 1].IndexOf("-1", StringComparison.Ordinal) + 1;
        var e = Assert.Throws<TraceFormatException>(() => GpuMeasurementReader.Read(dir.File("bad.json")));
        Assert.Equal($"line {line}, column {column}, $.gemms[0].seconds", e.Location);

        // A missing key points at the object that lacks it.
        string missing = Valid().Replace("\"dtype\": \"bf16\",", "", StringComparison.Ordinal);
        File.WriteAllText(dir.File("missing.json"), missing);
        e = Assert.Throws<TraceFormatException>(() => GpuMeasurementReader.Read(dir.File("missing.json")));
        Assert.Equal("line 1, column 1, $.dtype", e.Location);
    }

    /// <summary>The base machine of the CPU format check (Fixtures/cpu-format-check.yaml, the same figures).</summary>
    private static DeviceSpec CpuFormatCheckDevice() => new()
    {
        Name = "CPU-format-check", IsGpu = false, PeakFlops = new Dictionary<Precision, double> { [Precision.Bf16] = 0.2e12 },
        MemoryBytes = 8e9, MemoryBandwidth = 200e9, Source = "test fixture",
        Kernels = new GpuKernelFacts
        {
            StreamingMultiprocessors = 2, GemmTiles = [(16, 16)], GemmEfficiency = 0.5, MemoryEfficiency = 0.5,
            AttentionForwardEfficiency = 0.5, AttentionBackwardEfficiency = 0.5, KernelOverheadSeconds = 2e-6, Source = "test fixture",
        },
    };

    [TorchFact]
    public void The_profiler_script_cpu_format_check_writes_a_file_the_fitter_reads()
    {
        var python = TorchEnvironment.Require();
        string script = Path.Combine(AppContext.BaseDirectory, "profiler", "gpu_kernels.py");
        Assert.True(File.Exists(script), $"the script is copied next to the assemblies: {script}");
        using var dir = new TempDirectory();
        var run = ProcessRunner.Run(python.Interpreter, [script, "--device", "cpu", "--out", dir.Path], TimeSpan.FromMinutes(2));
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.StandardError}");
        Assert.Contains("not GPU figures", run.StandardOutput, StringComparison.Ordinal);
        Assert.True(new FileInfo(dir.File("trace-block-step.json")).Length > 0, "a Kineto trace of the block step is written");

        var set = GpuMeasurementReader.Read(dir.File("gpu-measurements.json"));
        Assert.False(set.IsGpu);
        Assert.Contains(set.Gemms, g => g.HeldOut);
        var fit = GpuKernelFitter.Fit(set, CpuFormatCheckDevice());
        Assert.Contains(fit.Warnings, w => w.Contains("CPU figures", StringComparison.Ordinal));
        Assert.InRange(fit.Facts.GemmEfficiency, GpuKernelFitter.MinimumFraction, 1);
        Assert.NotNull(set.Soak); // the soak ran (briefly, on the CPU) and its fraction is a valid one
        Assert.InRange(fit.Facts.SustainedClockFraction, GpuKernelFitter.MinimumFraction, 1);
        Assert.True(fit.BlockStep.PredictedSeconds > 0 && double.IsFinite(fit.BlockStep.PredictedSeconds));
    }
}
