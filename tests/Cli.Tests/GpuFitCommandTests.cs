using System.Text.Json.Nodes;
using Sim.Cli.Commands;
using Sim.Scenarios.Hardware;

namespace Sim.Cli.Tests;

/// <summary>
/// `sim calibrate gpu-fit` end to end: a measurement file in the H100's range fits into a hardware
/// file that loads as a custom machine and prints the held-out check; bad input exits 2, names the
/// file and key path, and writes nothing.
/// </summary>
public sealed class GpuFitCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "sim-cli-gpufit-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    /// <summary>`sim calibrate ...` in process (the helper the calibrate tests use).</summary>
    private static (int code, string stdout, string stderr) Run(params string[] args) => CalibrateCommandTests.Run(args);

    /// <summary>Figures of H100 size: a 4096^3 GEMM at about 690 TFLOP/s, a 1.6 GB add at about 2.9 TB/s.</summary>
    internal static JsonObject Measurements() => new()
    {
        ["format"] = "sim-gpu-measurements", ["version"] = 2,
        ["device"] = new JsonObject { ["kind"] = "cuda", ["name"] = "NVIDIA H100 80GB HBM3", ["sms"] = 132, ["torch"] = "2.4.0", ["cuda"] = "12.4" },
        ["date"] = "2026-12-07", ["dtype"] = "bf16",
        ["launch_overhead"] = new JsonObject { ["kernels"] = 1000, ["seconds_per_kernel"] = 2.5e-6 },
        ["gemms"] = new JsonArray(
            new JsonObject { ["m"] = 4096, ["n"] = 4096, ["k"] = 4096, ["seconds"] = 2e-4, ["held_out"] = false },
            new JsonObject { ["m"] = 8192, ["n"] = 8192, ["k"] = 8192, ["seconds"] = 1.6e-3, ["held_out"] = true }),
        ["attention"] = new JsonArray(new JsonObject
        {
            ["batch"] = 4, ["heads"] = 32, ["seq"] = 2048, ["head_dim"] = 128, ["causal"] = true, ["forward_seconds"] = 2e-4, ["backward_seconds"] = 5.5e-4,
        }),
        ["memory"] = new JsonArray(new JsonObject { ["op"] = "add", ["bytes"] = 1.6e9, ["seconds"] = 5.5e-4 }),
        ["block_step"] = new JsonObject { ["batch"] = 4, ["seq"] = 2048, ["hidden"] = 4096, ["heads"] = 32, ["ffn"] = 16384, ["seconds"] = 0.004 },
        ["soak"] = new JsonObject
        {
            ["m"] = 8192, ["n"] = 8192, ["k"] = 8192, ["soak_seconds"] = 60, ["burst_seconds"] = 1.4e-3, ["sustained_seconds"] = 1.65e-3,
            ["burst_clock_mhz"] = 1980, ["sustained_clock_mhz"] = 1470,
        },
    };

    private string Write(JsonObject measurements)
    {
        string dir = Path.Combine(_temp, "m");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, GpuFitCommand.MeasurementsFile), measurements.ToJsonString());
        return dir;
    }

    [Fact]
    public void GpuFit_WritesAHardwareFileThatLoads_AndPrintsTheHeldOutCheck()
    {
        string outPath = Path.Combine(_temp, "h100-measured.yaml");
        var (code, stdout, stderr) = Run("calibrate", "gpu-fit", Write(Measurements()), "--hardware", "dgx-h100", "--out", outPath);
        Assert.True(code == 0, stderr);
        var node = HardwareFile.Load(outPath);
        var facts = node.Device.Kernels!;
        Assert.Equal(2.5e-6, facts.KernelOverheadSeconds, 1e-15);
        Assert.Equal(1.6e9 / ((5.5e-4 - 2.5e-6) * 3350e9), facts.MemoryEfficiency, 1e-12);
        Assert.Equal(HardwarePresets.DgxH100.Device.PeakFlops, node.Device.PeakFlops); // only the kernels block changes
        Assert.Equal(HardwarePresets.DgxH100.Device.Kernels!.Fp8GemmEfficiency, facts.Fp8GemmEfficiency);
        Assert.Contains("gpu-measurements.json (2026-12-07)", node.Source, StringComparison.Ordinal);
        Assert.Equal(1.4e-3 / 1.65e-3, facts.SustainedClockFraction, 12); // the soak: burst over sustained time
        Assert.Contains("SM clock 1980 -> 1470 MHz", stdout, StringComparison.Ordinal);
        Assert.Contains("held-out gemm 8192x8192x8192", stdout, StringComparison.Ordinal);
        Assert.Contains("held-out check: GEMM median error", stdout, StringComparison.Ordinal);
        Assert.Contains("held-out check: transformer block step (batch 4, seq 2048, hidden 4096) predicted", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void GpuFit_BadMeasurement_ExitsTwo_NamingFileAndKeyPath_WithoutOutput()
    {
        var m = Measurements();
        m["gemms"]![0]!["seconds"] = "fast";
        string outPath = Path.Combine(_temp, "out.yaml");
        var (code, _, stderr) = Run("calibrate", "gpu-fit", Write(m), "--out", outPath);
        Assert.Equal(2, code);
        Assert.Contains(GpuFitCommand.MeasurementsFile, stderr, StringComparison.Ordinal);
        Assert.Contains("$.gemms[0].seconds", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public void GpuFit_UnknownPreset_ExitsTwo_ListingThePresets()
    {
        string outPath = Path.Combine(_temp, "out.yaml");
        var (code, _, stderr) = Run("calibrate", "gpu-fit", Write(Measurements()), "--hardware", "dgx-z9", "--out", outPath);
        Assert.Equal(2, code);
        Assert.Contains("--hardware", stderr, StringComparison.Ordinal);
        Assert.Contains("dgx-h100", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public void GpuFit_MeasurementsFarBelowTheDatasheet_ExitTwo_NamingTheFigure()
    {
        var m = Measurements();
        m["memory"]![0]!["seconds"] = 5.0; // 0.3 GB/s on a 3350 GB/s device
        string outPath = Path.Combine(_temp, "out.yaml");
        var (code, _, stderr) = Run("calibrate", "gpu-fit", Write(m), "--hardware", "dgx-h100", "--out", outPath);
        Assert.Equal(2, code);
        Assert.Contains("memory_efficiency", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(outPath));
    }

    [Theory]
    [InlineData("--device", "tpu", "--device: expected cuda or cpu")]
    [InlineData("--repeats", "-1", "--repeats: expected 0 to 10000")]
    [InlineData("--soak-seconds", "-5", "--soak-seconds: expected 0 to 3600")]
    public void GpuProfile_BadOption_ExitsTwo_NamingIt(string option, string value, string expected)
    {
        string outDir = Path.Combine(_temp, "profile");
        var (code, _, stderr) = Run("calibrate", "gpu-profile", "--out", outDir, option, value);
        Assert.Equal(2, code);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(outDir));
    }
}
