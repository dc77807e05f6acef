using Sim.Models.Hardware;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Hardware;

/// <summary>
/// Reads a hardware file (<see cref="HardwareFileSchema"/>) into a <see cref="NodeSpec"/>. Bad files
/// get the scenario reader's located errors (file:line:col, key path, what was expected); rules that
/// span keys (a GEMM tile that does not parse, a fabric without bandwidth) are located the same way.
/// </summary>
public static class HardwareFile
{
    private const double GB = 1e9;

    public static NodeSpec Load(string path) => From(ScenarioDocument.Load(path, HardwareFileSchema.Root));

    public static NodeSpec Parse(string yaml, string fileName) => From(ScenarioDocument.Parse(yaml, fileName, HardwareFileSchema.Root));

    private static NodeSpec From(ScenarioDocument doc)
    {
        var root = doc.Section;
        var errors = new List<ScenarioError>();
        var d = root.GetSection("device");
        var peaks = d.GetSection("peak_tflops");
        var peak = new Dictionary<Precision, double>();
        foreach (var (key, precision) in new[] { ("fp64", Precision.Fp64), ("fp32", Precision.Fp32), ("tf32", Precision.Tf32), ("fp16", Precision.Fp16), ("bf16", Precision.Bf16), ("fp8", Precision.Fp8) })
            if (peaks.Has(key)) peak[precision] = peaks.GetDouble(key) * 1e12;
        if (peak.Count == 0) errors.Add(d.ErrorAt("peak_tflops", "must give at least one precision"));

        GpuKernelFacts? kernels = null;
        if (d.Has("kernels"))
        {
            var k = d.GetSection("kernels");
            var tiles = new List<(int, int)>();
            var tileTexts = k.Has("gemm_tiles") ? k.GetList<string>("gemm_tiles") : ["256x128", "128x256", "128x128"];
            for (int i = 0; i < tileTexts.Count; i++)
            {
                var parts = tileTexts[i].Split('x');
                if (parts.Length == 2 && int.TryParse(parts[0], out int r) && int.TryParse(parts[1], out int c) && r > 0 && c > 0) tiles.Add((r, c));
                else errors.Add(k.ErrorAt($"gemm_tiles[{i}]", $"expected ROWSxCOLS with positive whole numbers (e.g. 256x128), got '{tileTexts[i]}'"));
            }
            var causalBySequence = new List<(int, double)>();
            var points = k.GetSections("causal_attention_forward_by_sequence");
            for (int i = 0; i < points.Count; i++)
            {
                int length = points[i].GetInt("sequence");
                double causal = points[i].GetDouble("causal_tflops"), unmasked = points[i].GetDouble("unmasked_tflops");
                if (i > 0 && length <= causalBySequence[^1].Item1)
                    errors.Add(points[i].ErrorAt("sequence", $"expected lengths in increasing order, got {length} after {causalBySequence[^1].Item1}"));
                if (causal > unmasked)
                    errors.Add(points[i].ErrorAt("causal_tflops", $"expected at most unmasked_tflops ({unmasked}): the causal kernel skips work, it does not run faster per FLOP; got {causal}"));
                causalBySequence.Add((length, Math.Min(1, causal / unmasked)));
            }
            var attentionBySequence = new List<(int, double, double)>();
            var rows = k.GetSections("attention_by_sequence");
            for (int i = 0; i < rows.Count; i++)
            {
                int length = rows[i].GetInt("sequence");
                if (i > 0 && length <= attentionBySequence[^1].Item1)
                    errors.Add(rows[i].ErrorAt("sequence", $"expected lengths in increasing order, got {length} after {attentionBySequence[^1].Item1}"));
                attentionBySequence.Add((length, rows[i].GetDouble("forward_tflops"), rows[i].GetDouble("backward_tflops")));
            }
            var fa2BySequence = new List<(int, AttentionKernelSpeed)>();
            var fa2Rows = k.GetSections("flash_attention_2_relative_speed_by_sequence");
            for (int i = 0; i < fa2Rows.Count; i++)
            {
                int length = fa2Rows[i].GetInt("sequence");
                if (i > 0 && length <= fa2BySequence[^1].Item1)
                    errors.Add(fa2Rows[i].ErrorAt("sequence", $"expected lengths in increasing order, got {length} after {fa2BySequence[^1].Item1}"));
                fa2BySequence.Add((length, Fa2(fa2Rows[i])));
            }
            kernels = new GpuKernelFacts
            {
                StreamingMultiprocessors = k.GetInt("sms"), GemmTiles = tiles, GemmEfficiency = k.GetDouble("gemm_efficiency"),
                Fp8GemmEfficiency = k.Has("fp8_gemm_efficiency") ? k.GetDouble("fp8_gemm_efficiency") : null,
                MemoryEfficiency = k.GetDouble("memory_efficiency"), AttentionForwardEfficiency = k.GetDouble("attention_forward_efficiency"),
                AttentionBackwardEfficiency = k.GetDouble("attention_backward_efficiency"), KernelOverheadSeconds = k.GetDouble("kernel_overhead_us") * 1e-6,
                SustainedClockFraction = k.GetDouble("sustained_clock_fraction"),
                FlashAttention1RelativeSpeed = k.Has("flash_attention_1_relative_speed") ? k.GetDouble("flash_attention_1_relative_speed") : null,
                FlashAttention2RelativeSpeed = k.Has("flash_attention_2_relative_speed") ? Fa2(k.GetSection("flash_attention_2_relative_speed")) : null,
                CausalAttentionForwardRelativeEfficiency = k.GetDouble("causal_attention_forward_relative_efficiency"),
                CausalAttentionForwardBySequence = causalBySequence,
                AttentionBySequence = attentionBySequence,
                FlashAttention2RelativeSpeedBySequence = fa2BySequence,
                Source = d.GetString("source"),
            };
        }
        var device = new DeviceSpec
        {
            Name = d.GetString("name"), IsGpu = d.GetBool("gpu"), PeakFlops = peak,
            MemoryBytes = d.GetDouble("memory_gb") * GB, MemoryBandwidth = d.GetDouble("memory_bandwidth_gbs") * GB,
            ComputeCapability = d.GetInt("compute_capability"), Kernels = kernels, Source = d.GetString("source"),
        };

        var intra = root.GetSection("intra_node");
        var fabric = intra.GetString("fabric") switch
        {
            "nvswitch" => IntraNodeFabric.NvSwitch,
            "nvlink_mesh" => IntraNodeFabric.NvLinkHybridCubeMesh,
            "pcie_switch" => IntraNodeFabric.PcieSwitch,
            _ => IntraNodeFabric.None,
        };
        if (fabric != IntraNodeFabric.None && !intra.Has("bandwidth_gbs"))
            errors.Add(intra.ErrorAt("bandwidth_gbs", $"is required with fabric {intra.GetString("fabric")}"));
        var nics = root.GetSection("nics");
        if (errors.Count > 0) throw new ScenarioException(errors);
        var node = new NodeSpec
        {
            Name = root.GetString("name"), Device = device, DevicesPerNode = root.GetInt("devices_per_node"),
            IntraNode = fabric, IntraNodeBandwidth = intra.Has("bandwidth_gbs") ? intra.GetDouble("bandwidth_gbs") * GB : 0,
            IntraNodeLatency = intra.GetDouble("latency_us") * 1e-6, NvLinksPerGpu = intra.GetInt("nvlinks_per_gpu"),
            NicCount = nics.GetInt("count"), NicBandwidth = nics.GetDouble("bandwidth_gbit") * 1e9 / 8, NicLatency = nics.GetDouble("latency_us") * 1e-6,
            NicTransport = nics.GetString("transport"), HostCpuVendor = root.GetString("host_cpu"), Source = root.GetString("source"),
        };
        try { node.Validate("node"); }
        catch (SpecError e) { throw new ScenarioException(root.ErrorAt(KeyFor(e.Path), e.Problem)); }
        return node;
    }

    /// <summary>The file key a <see cref="SpecError"/> path refers to (the spec's names differ from the file's).</summary>
    private static string KeyFor(string specPath) => specPath switch
    {
        var p when p.Contains(".nic.count") => "nics.count",
        var p when p.Contains(".devicesPerNode") => "devices_per_node",
        var p when p.Contains(".intraNode") => "intra_node",
        var p when p.Contains(".kernels") => "device.kernels",
        var p when p.Contains(".device") => "device",
        _ => "name",
    };

    private static AttentionKernelSpeed Fa2(ScenarioSection s) =>
        new(s.GetDouble("forward"), s.GetDouble("causal_forward"), s.GetDouble("backward"));
}
