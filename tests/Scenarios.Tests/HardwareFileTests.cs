using Sim.Models.Hardware;
using Sim.Scenarios.Hardware;
using Sim.Scenarios.Tests.Fixtures;
using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

/// <summary>
/// Hardware as data: the shipped hardware files equal the compiled presets figure for figure, a
/// scenario can name a hardware file instead of a preset, and bad files get located errors.
/// </summary>
public sealed class HardwareFileTests
{
    private static string Shipped(string name) => Path.Combine(RepositoryPaths.Root(), "hardware", name + ".yaml");

    [Theory]
    [InlineData("dgx-a100")]
    [InlineData("dgx-h100")]
    public void Shipped_files_equal_the_compiled_presets(string name)
    {
        var file = HardwareFile.Load(Shipped(name));
        var preset = HardwarePresets.Node(name);
        Assert.Equal(preset.Name, file.Name);
        Assert.Equal(preset.Device.Name, file.Device.Name);
        foreach (var (precision, flops) in preset.Device.PeakFlops) Assert.Equal(flops, file.Device.PeakFlops[precision], flops * 1e-12);
        Assert.Equal(preset.Device.PeakFlops.Count, file.Device.PeakFlops.Count);
        Assert.Equal(preset.Device.MemoryBytes, file.Device.MemoryBytes, 1);
        Assert.Equal(preset.Device.MemoryBandwidth, file.Device.MemoryBandwidth, 1);
        Assert.Equal(preset.Device.ComputeCapability, file.Device.ComputeCapability);
        var (pk, fk) = (preset.Device.Kernels!, file.Device.Kernels!);
        Assert.Equal(pk.StreamingMultiprocessors, fk.StreamingMultiprocessors);
        Assert.Equal(pk.GemmTiles, fk.GemmTiles);
        Assert.Equal(pk.GemmEfficiency, fk.GemmEfficiency, 12);
        Assert.Equal(pk.MemoryEfficiency, fk.MemoryEfficiency, 12);
        Assert.Equal(pk.AttentionForwardEfficiency, fk.AttentionForwardEfficiency, 12);
        Assert.Equal(pk.AttentionBackwardEfficiency, fk.AttentionBackwardEfficiency, 12);
        Assert.Equal(pk.KernelOverheadSeconds, fk.KernelOverheadSeconds, 15);
        Assert.Equal((preset.DevicesPerNode, preset.IntraNode, preset.NvLinksPerGpu, preset.NicCount, preset.HostCpuVendor),
            (file.DevicesPerNode, file.IntraNode, file.NvLinksPerGpu, file.NicCount, file.HostCpuVendor));
        Assert.Equal(preset.IntraNodeBandwidth, file.IntraNodeBandwidth, 1);
        Assert.Equal(preset.IntraNodeLatency, file.IntraNodeLatency, 15);
        Assert.Equal(preset.NicBandwidth, file.NicBandwidth, 1);
        Assert.Equal(preset.NicLatency, file.NicLatency, 15);
    }

    [Fact]
    public void A_scenario_on_a_hardware_file_predicts_what_the_preset_predicts()
    {
        string Yaml(string cluster) => $$$"""
            name: x
            cluster: {{{{cluster}}}, nodes: 2}
            model: {gpt: {layers: 4, hidden: 2048, heads: 16, sequence: 2048, vocabulary: 32000}}
            training: {mode: data_parallel, micro_batch: 2, iterations: 2}
            outputs: {timeline: false, report: false}
            """;
        var fromPreset = TrainingScenario.Parse(Yaml("preset: dgx-h100"), "a.yaml");
        var fromFile = TrainingScenario.Parse(Yaml($"hardware: '{Shipped("dgx-h100")}'"), "b.yaml");
        double Iteration(TrainingScenario s) => RunMetrics.Of(ScenarioRunner.Run(s)).First(kv => kv.Key == "iteration_mean_s").Value;
        Assert.Equal(Iteration(fromPreset), Iteration(fromFile), 12);
    }

    [Theory]
    [InlineData("sms: 0", "hw.yaml:13:10: device.kernels.sms: expected ")]
    [InlineData("gemm_tiles: [256x128, 12y8]", "hw.yaml:14:27: device.kernels.gemm_tiles[1]: expected ROWSxCOLS with positive whole numbers (e.g. 256x128), got '12y8'")]
    [InlineData("gemm_effciency: 0.8", "hw.yaml:13:5: device.kernels.gemm_effciency: unknown key")]
    public void Bad_hardware_files_get_located_errors(string kernelLine, string expected)
    {
        var text = File.ReadAllText(Shipped("dgx-h100"));
        var lines = text.Split('\n').ToList();
        int sms = lines.FindIndex(l => l.TrimStart().StartsWith("sms:", StringComparison.Ordinal));
        // Replace the sms line (line 13 of the file, after the 4-line header) or add the bad line before it.
        if (kernelLine.StartsWith("sms:", StringComparison.Ordinal)) lines[sms] = "    " + kernelLine;
        else if (kernelLine.StartsWith("gemm_tiles", StringComparison.Ordinal)) lines[sms + 1] = "    " + kernelLine;
        else lines.Insert(sms, "    " + kernelLine);
        var e = Assert.Throws<ScenarioException>(() => HardwareFile.Parse(string.Join('\n', lines), "hw.yaml"));
        Assert.StartsWith(expected, e.Message);
    }

    [Fact]
    public void Preset_and_hardware_together_is_an_error()
    {
        var e = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse("""
            name: x
            cluster: {preset: dgx-a100, hardware: h.yaml, nodes: 1}
            model: {zoo: resnet50}
            training: {mode: data_parallel, micro_batch: 2}
            """, "s.yaml"));
        Assert.Contains("give exactly one of cluster.preset or cluster.hardware", e.Message);
    }
}
