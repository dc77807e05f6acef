using Sim.Models.Hardware;
using Sim.Scenarios.Hardware;
using Sim.Scenarios.Tests.Fixtures;
using Sim.Scenarios.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Tests;

/// <summary>
/// Hardware as data: the presets are the shipped hardware files (read at run time, figure for figure),
/// a scenario can name a hardware file instead of a preset, and bad files get located errors.
/// </summary>
public sealed class HardwareFileTests
{
    private static string Shipped(string name) => Path.Combine(RepositoryPaths.Root(), "hardware", name + ".yaml");

    [Fact]
    public void Every_shipped_file_is_a_preset_and_every_preset_is_a_shipped_file()
    {
        var files = Directory.GetFiles(Path.Combine(RepositoryPaths.Root(), "hardware"), "*.yaml").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(files, HardwarePresets.Names.ToArray());
        Assert.Contains("dgx-h200", files);
        Assert.Contains("gb200-nvl72", files);
    }

    [Theory]
    [InlineData("cpu-host")]
    [InlineData("dgx-a100")]
    [InlineData("dgx-a100-40gb")]
    [InlineData("dgx-h100")]
    [InlineData("dgx-h200")]
    [InlineData("dgx1-v100")]
    [InlineData("gb200-nvl72")]
    [InlineData("p100-pcie-8x")]
    public void Presets_are_the_files_in_hardware_read_at_run_time(string name)
    {
        var file = HardwareFile.Load(Shipped(name));
        var preset = HardwarePresets.Node(name);
        Assert.Equal(file, preset with { Device = file.Device }); // every node figure
        Assert.Equal(file.Device with { PeakFlops = preset.Device.PeakFlops, Kernels = preset.Device.Kernels }, preset.Device);
        Assert.Equal(file.Device.PeakFlops.OrderBy(kv => kv.Key), preset.Device.PeakFlops.OrderBy(kv => kv.Key));
        if (file.Device.Kernels is { } fk)
        {
            var pk = preset.Device.Kernels!;
            Assert.Equal(fk.GemmTiles, pk.GemmTiles);
            Assert.Equal(fk.CausalAttentionForwardBySequence, pk.CausalAttentionForwardBySequence);
            Assert.Equal(fk.AttentionBySequence, pk.AttentionBySequence);
            Assert.Equal(fk.FlashAttention2RelativeSpeedBySequence, pk.FlashAttention2RelativeSpeedBySequence);
            Assert.Equal(fk with { GemmTiles = pk.GemmTiles, CausalAttentionForwardBySequence = pk.CausalAttentionForwardBySequence, AttentionBySequence = pk.AttentionBySequence,
                FlashAttention2RelativeSpeedBySequence = pk.FlashAttention2RelativeSpeedBySequence }, pk);
        }
        else Assert.Null(preset.Device.Kernels);
        preset.Validate("node");
    }

    [Fact]
    public void H200_and_GB200_carry_their_datasheet_figures()
    {
        var h200 = HardwarePresets.DgxH200;
        var h100 = HardwarePresets.DgxH100;
        Assert.Equal(141e9, h200.Device.MemoryBytes);                 // 141 GB HBM3e
        Assert.Equal(4.8e12, h200.Device.MemoryBandwidth, 1);          // 4.8 TB/s
        Assert.Equal(h100.Device.PeakFlops.OrderBy(kv => kv.Key), h200.Device.PeakFlops.OrderBy(kv => kv.Key)); // same GH100 peaks
        Assert.Equal(h100.Device.Kernels!.StreamingMultiprocessors, h200.Device.Kernels!.StreamingMultiprocessors);
        var nvl = HardwarePresets.Gb200Nvl72;
        Assert.Equal(72, nvl.DevicesPerNode);                          // one NVLink domain of 72
        Assert.Equal(900e9, nvl.IntraNodeBandwidth, 1);                // 1.8 TB/s bidirectional per GPU
        Assert.Equal(2500e12, nvl.Device.PeakFlopsFor(Precision.Bf16), 1); // 5 PF sparse per GPU, halved
        Assert.Equal(5000e12, nvl.Device.PeakFlopsFor(Precision.Fp8), 1);
        Assert.Contains("stand-in", nvl.Device.Source);                // kernel fractions are not Blackwell measurements
        Assert.Equal(40e9, HardwarePresets.DgxA100_40GB.Device.MemoryBytes);
    }

    [Fact]
    public void New_presets_run_and_faster_memory_on_the_same_chip_never_slows_a_step()
    {
        string Yaml(string preset) => $$$"""
            name: x
            cluster: {preset: {{{preset}}}, nodes: 2}
            model: {gpt: {layers: 4, hidden: 2048, heads: 16, sequence: 2048, vocabulary: 32000}}
            training: {mode: data_parallel, micro_batch: 2, iterations: 2}
            outputs: {timeline: false, report: false}
            """;
        double Iteration(string preset) => RunMetrics.Of(ScenarioRunner.Run(TrainingScenario.Parse(Yaml(preset), "a.yaml"))).First(kv => kv.Key == "iteration_mean_s").Value;
        double h100 = Iteration("dgx-h100"), h200 = Iteration("dgx-h200"), nvl72 = Iteration("gb200-nvl72");
        Assert.True(h200 <= h100, $"H200 {h200} s against H100 {h100} s: same peaks, faster HBM");
        Assert.True(h200 < h100, "memory-bound kernels must gain from 4.8 against 3.35 TB/s");
        Assert.True(nvl72 > 0 && double.IsFinite(nvl72));
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
    [InlineData("sustained_clock_fraction: 1.2", "hw.yaml:13:31: device.kernels.sustained_clock_fraction: expected ")]
    [InlineData("flash_attention_1_relative_speed: 0", "hw.yaml:13:39: device.kernels.flash_attention_1_relative_speed: expected ")]
    public void Bad_hardware_files_get_located_errors(string kernelLine, string expected)
    {
        var text = File.ReadAllText(Shipped("dgx-h100"));
        var lines = text.Split('\n').ToList();
        int sms = lines.FindIndex(l => l.TrimStart().StartsWith("sms:", StringComparison.Ordinal));
        // Replace the sms line (line 13 of the file, after the 4-line header) or add the bad line before it.
        if (kernelLine.StartsWith("sms:", StringComparison.Ordinal)) lines[sms] = "    " + kernelLine;
        else if (kernelLine.StartsWith("gemm_tiles", StringComparison.Ordinal)) lines[sms + 1] = "    " + kernelLine;
        else
        {
            lines.RemoveAll(l => l.TrimStart().StartsWith(kernelLine.Split(':')[0] + ":", StringComparison.Ordinal)); // a key the file already sets
            lines.Insert(sms, "    " + kernelLine);
        }
        var e = Assert.Throws<ScenarioException>(() => HardwareFile.Parse(string.Join('\n', lines), "hw.yaml"));
        Assert.StartsWith(expected, e.Message);
    }

    [Theory]
    [InlineData("[{sequence: 2048, causal_tflops: 700, unmasked_tflops: 617}, {sequence: 4096, causal_tflops: 518, unmasked_tflops: 609}]",
        "device.kernels.causal_attention_forward_by_sequence[0].causal_tflops: expected at most unmasked_tflops (617)")]
    [InlineData("[{sequence: 4096, causal_tflops: 518, unmasked_tflops: 609}, {sequence: 2048, causal_tflops: 484, unmasked_tflops: 617}]",
        "device.kernels.causal_attention_forward_by_sequence[1].sequence: expected lengths in increasing order, got 2048 after 4096")]
    [InlineData("[{sequence: 2048, causal_tflops: 484}, {sequence: 4096, causal_tflops: 518, unmasked_tflops: 609}]",
        "device.kernels.causal_attention_forward_by_sequence[0].unmasked_tflops: ")]
    public void Bad_causal_attention_tables_get_located_errors(string table, string expected)
    {
        var lines = File.ReadAllText(Shipped("dgx-h100")).Split('\n').ToList();
        int key = lines.FindIndex(l => l.TrimStart().StartsWith("causal_attention_forward_by_sequence:", StringComparison.Ordinal));
        lines.RemoveAll(l => l.TrimStart().StartsWith("- {sequence:", StringComparison.Ordinal));
        lines.RemoveAll(l => l.TrimStart().StartsWith("attention_by_sequence:", StringComparison.Ordinal)); // its rows went with the causal ones
        lines.RemoveAll(l => l.TrimStart().StartsWith("flash_attention_2_relative_speed_by_sequence:", StringComparison.Ordinal)); // and these
        key = lines.FindIndex(l => l.TrimStart().StartsWith("causal_attention_forward_by_sequence:", StringComparison.Ordinal));
        lines[key] = "    causal_attention_forward_by_sequence: " + table;
        var e = Assert.Throws<ScenarioException>(() => HardwareFile.Parse(string.Join('\n', lines), "hw.yaml"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith($"hw.yaml:{key + 1}:", e.Message); // file and line of the table
    }

    [Theory]
    [InlineData("[{sequence: 4096, forward: 0.6, causal_forward: 0.6, backward: 0.6}, {sequence: 2048, forward: 0.6, causal_forward: 0.6, backward: 0.6}]",
        "device.kernels.flash_attention_2_relative_speed_by_sequence[1].sequence: expected lengths in increasing order, got 2048 after 4096")]
    [InlineData("[{sequence: 2048, forward: 1.2, causal_forward: 0.6, backward: 0.6}, {sequence: 4096, forward: 0.6, causal_forward: 0.6, backward: 0.6}]",
        "device.kernels.flash_attention_2_relative_speed_by_sequence[0].forward: expected ")]
    [InlineData("[{sequence: 2048, forward: 0.6, backward: 0.6}, {sequence: 4096, forward: 0.6, causal_forward: 0.6, backward: 0.6}]",
        "device.kernels.flash_attention_2_relative_speed_by_sequence[0].causal_forward: ")]
    public void Bad_flash_attention_2_tables_get_located_errors(string table, string expected)
    {
        var lines = File.ReadAllText(Shipped("dgx-h100")).Split('\n').ToList();
        int key = lines.FindIndex(l => l.TrimStart().StartsWith("flash_attention_2_relative_speed_by_sequence:", StringComparison.Ordinal));
        while (lines[key + 1].TrimStart().StartsWith("- {sequence:", StringComparison.Ordinal)) lines.RemoveAt(key + 1);
        lines[key] = "    flash_attention_2_relative_speed_by_sequence: " + table;
        var e = Assert.Throws<ScenarioException>(() => HardwareFile.Parse(string.Join('\n', lines), "hw.yaml"));
        Assert.Contains(expected, e.Message);
        Assert.StartsWith($"hw.yaml:{key + 1}:", e.Message); // file and line of the table
    }

    [Fact]
    public void The_sustained_clock_is_optional_and_means_the_burst_clock_when_left_out()
    {
        var text = File.ReadAllText(Shipped("dgx-h100"));
        var without = string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith("sustained_clock_fraction:", StringComparison.Ordinal)));
        Assert.NotEqual(text, without);
        Assert.Equal(1, HardwareFile.Parse(without, "hw.yaml").Device.Kernels!.SustainedClockFraction);
        Assert.Equal(702.9 / 828.0, HardwarePresets.H100Sxm.Kernels!.SustainedClockFraction, 12);  // Bekman: H200 MSMF / MAMF
        Assert.Equal(1200.0 / 1410, HardwarePresets.A100Sxm80.Kernels!.SustainedClockFraction, 12); // nvidia-smi: sustained / boost MHz
    }

    [Theory]
    [InlineData("flash2", "dgx-a100", null)]
    [InlineData("flash2", "dgx-h100", null)]
    [InlineData("flash2", "gb200-nvl72", "model.attention: flash2 needs FlashAttention-2's measured speed relative to the figure kernel for")]
    [InlineData("flash1", "dgx-a100", null)]
    [InlineData("flash1", "dgx-h100", null)]
    [InlineData("flash1", "dgx-h200", "model.attention: flash1 needs a measured FlashAttention-1 speed for H200-SXM-141GB")]
    public void An_older_FlashAttention_runs_where_its_speed_is_measured_and_is_refused_elsewhere(string attention, string preset, string? expected)
    {
        string yaml = $"name: x\ncluster: {{preset: {preset}, nodes: 1}}\n" +
                      $"model: {{gpt: {{layers: 2, hidden: 1024, heads: 16, sequence: 1024, vocabulary: 32000}}, attention: {attention}}}\n" +
                      "training: {mode: data_parallel, micro_batch: 2, iterations: 1}\noutputs: {timeline: false, report: false}\n";
        if (expected is null) Assert.NotNull(TrainingScenario.Parse(yaml, "s.yaml"));
        else
        {
            var message = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(yaml, "s.yaml")).Message;
            Assert.StartsWith("s.yaml:3:", message); // located at the attention key's line
            Assert.Contains(expected, message);
        }
    }

    [Fact]
    public void FlashAttention1_without_FlashAttention2s_figure_is_refused_at_the_attention_key()
    {
        // FlashAttention-1's speed is measured against FlashAttention-2, so a file with the first and not the
        // second cannot cost it: refused with the key's location, not guessed.
        var lines = File.ReadAllLines(Shipped("dgx-h100")).Where(l => !l.TrimStart().StartsWith("flash_attention_2_relative_speed:", StringComparison.Ordinal)).ToArray();
        Assert.Contains(lines, l => l.TrimStart().StartsWith("flash_attention_1_relative_speed:", StringComparison.Ordinal));
        string dir = Directory.CreateTempSubdirectory("sim-fa1-").FullName;
        try
        {
            string hw = Path.Combine(dir, "no-fa2.yaml");
            File.WriteAllLines(hw, lines);
            string yaml = $"name: x\ncluster: {{hardware: '{hw}', nodes: 1}}\n" +
                          "model: {gpt: {layers: 2, hidden: 1024, heads: 16, sequence: 1024, vocabulary: 32000}, attention: flash1}\n" +
                          "training: {mode: data_parallel, micro_batch: 2, iterations: 1}\noutputs: {timeline: false, report: false}\n";
            var message = Assert.Throws<ScenarioException>(() => TrainingScenario.Parse(yaml, "s.yaml")).Message;
            Assert.StartsWith("s.yaml:3:", message);
            Assert.Contains("flash1 needs FlashAttention-2's measured speed", message);
        }
        finally { Directory.Delete(dir, true); }
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
