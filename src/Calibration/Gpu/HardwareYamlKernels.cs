using System.Globalization;
using System.Text;
using Sim.Models.Hardware;

namespace Sim.Calibration.Gpu;

/// <summary>
/// Writes a fitted hardware file: the base hardware YAML with its <c>device.kernels:</c> block replaced by
/// the fitted figures and its top-level <c>source:</c> naming the measurement file and date; every other
/// line (peaks, bandwidths, network) is kept as the base file has it, comments included. Works on the
/// text because the shipped files are written in one layout (two-space indent, <c>kernels:</c> under
/// <c>device:</c>); a base without that block is refused with <see cref="ArgumentException"/>. The
/// caller re-reads the result with the hardware file reader before writing it.
/// </summary>
public static class HardwareYamlKernels
{
    public static string Replace(string baseYaml, GpuKernelFacts facts, string measurementFile, string date, bool sustainedClockMeasured = true)
    {
        var lines = baseYaml.Replace("\r\n", "\n").Split('\n');
        int start = Array.FindIndex(lines, l => l.TrimEnd() == "  kernels:");
        if (start < 0) throw new ArgumentException("the base hardware file has no 'kernels:' block under 'device:' (two-space indent) to replace");
        int end = start + 1;
        while (end < lines.Length && (lines[end].StartsWith("    ", StringComparison.Ordinal) || lines[end].Trim().Length == 0)) end++;

        var inv = CultureInfo.InvariantCulture;
        string from = $"measured by sim calibrate gpu-fit from {measurementFile} ({date})";
        var block = new List<string>
        {
            "  kernels:   # " + from,
            "    sms: " + facts.StreamingMultiprocessors.ToString(inv),
            "    gemm_tiles: [" + string.Join(", ", facts.GemmTiles.Select(t => $"{t.Rows}x{t.Columns}")) + "]",
            "    gemm_efficiency: " + facts.GemmEfficiency.ToString("R", inv),
        };
        if (facts.Fp8GemmEfficiency is { } fp8) block.Add("    fp8_gemm_efficiency: " + fp8.ToString("R", inv) + "   # kept from the base file (not measured)");
        block.Add("    memory_efficiency: " + facts.MemoryEfficiency.ToString("R", inv));
        block.Add("    attention_forward_efficiency: " + facts.AttentionForwardEfficiency.ToString("R", inv));
        block.Add("    attention_backward_efficiency: " + facts.AttentionBackwardEfficiency.ToString("R", inv));
        block.Add("    kernel_overhead_us: " + (facts.KernelOverheadSeconds * 1e6).ToString("R", inv));
        block.Add("    sustained_clock_fraction: " + facts.SustainedClockFraction.ToString("R", inv) + (sustainedClockMeasured ? "   # soak: sustained / burst rate of one GEMM" : "   # kept from the base file (no soak measured)"));
        if (facts.CausalAttentionForwardRelativeEfficiency < 1) block.Add("    causal_attention_forward_relative_efficiency: " + facts.CausalAttentionForwardRelativeEfficiency.ToString("R", inv) + "   # causal / unmasked forward rate (measured where both were timed, else the base file's)");
        if (facts.FlashAttention1RelativeSpeed is { } fa1) block.Add("    flash_attention_1_relative_speed: " + fa1.ToString("R", inv) + "   # kept from the base file (not measured)");
        if (facts.FlashAttention2RelativeSpeed is { } fa2)
            block.Add("    flash_attention_2_relative_speed: {forward: " + fa2.Forward.ToString("R", inv) + ", causal_forward: " + fa2.CausalForward.ToString("R", inv) +
                      ", backward: " + fa2.Backward.ToString("R", inv) + "}   # kept from the base file (not measured)");

        var output = new StringBuilder();
        output.Append("# Fitted by sim calibrate gpu-fit: the kernels block ").Append(from).Append('\n');
        bool sourceReplaced = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (i == start) { foreach (var b in block) output.Append(b).Append('\n'); i = end - 1; continue; }
            if (!sourceReplaced && lines[i].StartsWith("source:", StringComparison.Ordinal))
            {
                output.Append("source: ").Append(lines[i]["source:".Length..].Trim()).Append("; kernels ").Append(from.Replace(":", " -", StringComparison.Ordinal)).Append('\n');
                sourceReplaced = true;
                continue;
            }
            if (i < lines.Length - 1 || lines[i].Length > 0) output.Append(lines[i]).Append('\n');
        }
        if (!sourceReplaced) output.Append("source: kernels ").Append(from.Replace(":", " -", StringComparison.Ordinal)).Append('\n');
        return output.ToString();
    }
}
