using Sim.Scenarios.Schema;
using static Sim.Scenarios.Schema.Schemas;

namespace Sim.Scenarios.Hardware;

/// <summary>
/// The shape of a hardware file: one server model (its GPU, the GPUs' interconnect and the NICs),
/// so that a new machine needs no recompiling. Units are those of datasheets: TFLOP/s, GB, GB/s,
/// Gbit/s, microseconds. Validated like scenario files (exact keys, ranges, file:line:col errors).
/// </summary>
public static class HardwareFileSchema
{
    public static MapSchema PeakTflops { get; } = Map(
        Field.Opt("fp64", Positive(), "Dense FP64 TFLOP/s."),
        Field.Opt("fp32", Positive(), "Dense FP32 TFLOP/s."),
        Field.Opt("tf32", Positive(), "Dense TF32 tensor TFLOP/s."),
        Field.Opt("fp16", Positive(), "Dense FP16 tensor TFLOP/s."),
        Field.Opt("bf16", Positive(), "Dense BF16 tensor TFLOP/s."),
        Field.Opt("fp8", Positive(), "Dense FP8 tensor TFLOP/s."));

    /// <summary>One point of a causal-versus-unmasked attention benchmark (initialised before <see cref="Kernels"/>, which lists it).</summary>
    public static MapSchema CausalAttentionPoint { get; } = Map(
        Field.Req("sequence", Integer(min: 1, max: 100_000_000), "Sequence length (queries = keys) of the benchmark."),
        Field.Req("causal_tflops", Positive(), "Forward TFLOP/s with the causal mask, counting the half of the work done."),
        Field.Req("unmasked_tflops", Positive(), "Forward TFLOP/s of the same kernel and shape without a mask."));

    public static MapSchema AttentionPoint { get; } = Map(
        Field.Req("sequence", Integer(min: 1, max: 100_000_000), "Sequence length (queries = keys) of the benchmark."),
        Field.Req("forward_tflops", Positive(), "Unmasked forward TFLOP/s of the kernel the attention figures describe."),
        Field.Req("backward_tflops", Positive(), "Backward TFLOP/s of the same kernel and shape."));

    /// <summary>FlashAttention-2's relative speeds at one sequence length (initialised before <see cref="Kernels"/>).</summary>
    public static MapSchema RelativeKernelSpeedPoint { get; } = Map(
        Field.Req("sequence", Integer(min: 1, max: 100_000_000), "Sequence length (queries = keys) of the benchmark."),
        Field.Req("forward", Number(min: 0.001, max: 1), "Forward without a mask, relative to the figure kernel's at this length."),
        Field.Req("causal_forward", Number(min: 0.001, max: 1), "Forward with the causal mask, relative to the figure kernel's causal forward at this length."),
        Field.Req("backward", Number(min: 0.001, max: 1), "Backward, relative to the figure kernel's at this length."));

    /// <summary>A fused attention kernel's measured speed relative to the figure kernel (initialised before <see cref="Kernels"/>).</summary>
    public static MapSchema RelativeKernelSpeed { get; } = Map(
        Field.Req("forward", Number(min: 0.001, max: 1), "Forward without a mask, relative to the figure kernel's."),
        Field.Req("causal_forward", Number(min: 0.001, max: 1), "Forward with the causal mask, relative to the figure kernel's causal forward."),
        Field.Req("backward", Number(min: 0.001, max: 1), "Backward, relative to the figure kernel's."));

    public static MapSchema Kernels { get; } = Map(
        Field.Req("sms", Integer(min: 1, max: 100_000), "Streaming multiprocessors."),
        Field.Opt("gemm_tiles", List(String(), minItems: 1), "GEMM output tiles as ROWSxCOLS.", "[256x128, 128x256, 128x128]"),
        Field.Req("gemm_efficiency", Number(min: 0.001, max: 1), "Fraction of peak a full-wave GEMM sustains (microbenchmark)."),
        Field.Opt("fp8_gemm_efficiency", Number(min: 0.001, max: 1), "Fraction of the FP8 peak a full-wave FP8 GEMM sustains (microbenchmark); without it FP8 training is refused."),
        Field.Req("memory_efficiency", Number(min: 0.001, max: 1), "Fraction of memory bandwidth streaming kernels sustain."),
        Field.Req("attention_forward_efficiency", Number(min: 0.001, max: 1), "Fraction of peak of fused attention, forward."),
        Field.Req("attention_backward_efficiency", Number(min: 0.001, max: 1), "Fraction of peak of fused attention, backward."),
        Field.Opt("kernel_overhead_us", Number(min: 0, max: 1000), "GPU time per kernel launch, microseconds.", "2"),
        Field.Opt("sustained_clock_fraction", Number(min: 0.001, max: 1), "Effective clock of GEMMs and attention under sustained power-limited load, as a fraction of the burst clock the efficiencies were measured at (sustained / burst throughput of one saturated GEMM).", "1"),
        Field.Opt("flash_attention_2_relative_speed", RelativeKernelSpeed, "FlashAttention-2's speed relative to the kernel the attention figures were measured on (1s where they are FlashAttention-2's own); without it model.attention: flash2 is refused."),
        Field.Opt("flash_attention_2_relative_speed_by_sequence", List(RelativeKernelSpeedPoint, minItems: 2), "The same relative speeds at several sequence lengths (increasing), from the same benchmarks as the figure kernel's by-length rates; FlashAttention-2 then runs at them at the lengths the figure kernel's rates are read at (forward by its keys, causal forward and backward by its queries; read in log2 of the length, held at the ends) instead of flash_attention_2_relative_speed, which flash2 still needs."),
        Field.Opt("flash_attention_1_relative_speed", Number(min: 0.001, max: 1), "Speed of FlashAttention-1 relative to FlashAttention-2 (forward and backward alike); FlashAttention-1 then runs at this times flash_attention_2_relative_speed of the kernel the attention efficiencies describe, and needs both; without it model.attention: flash1 is refused."),
        Field.Opt("causal_attention_forward_relative_efficiency", Number(min: 0.001, max: 1), "Rate of the fused attention forward kernel under a causal mask relative to the same kernel without one, each in the FLOPs it does (FlashAttention papers' forward figures, same shape as attention_forward_efficiency).", "1"),
        Field.Opt("causal_attention_forward_by_sequence", List(CausalAttentionPoint, minItems: 2), "The causal and unmasked forward rates of the same kernel measured at several sequence lengths (increasing); causal attention then runs at their ratio at its own length (read in log2 of the length between measured points, held at the ends) instead of causal_attention_forward_relative_efficiency."),
        Field.Opt("attention_by_sequence", List(AttentionPoint, minItems: 2), "Unmasked forward and backward TFLOP/s of the figure kernel at several sequence lengths (increasing); the forward then runs at its rate for its key length, the backward at its rate for its query length (each kernel's inner loop; read in log2 of the length between measured points, held at the ends) instead of attention_forward_efficiency / attention_backward_efficiency."));

    public static MapSchema Device { get; } = Map(
        Field.Req("name", String(), "Device name."),
        Field.Opt("gpu", Boolean(), "A GPU (true) or a CPU host as a whole (false).", "true"),
        Field.Req("peak_tflops", PeakTflops, "Dense peak per precision; a precision left out is unsupported."),
        Field.Req("memory_gb", Positive(), "Device memory, GB (10^9 bytes)."),
        Field.Req("memory_bandwidth_gbs", Positive(), "Device memory bandwidth, GB/s."),
        Field.Opt("compute_capability", Integer(min: 0, max: 200), "CUDA compute capability x 10 (80 Ampere, 90 Hopper); 0 for CPUs.", "0"),
        Field.Opt("kernels", Kernels, "Kernel-level figures (SMs, measured efficiencies); without them transformers use the roofline."),
        Field.Req("source", String(), "Where the figures come from."));

    public static MapSchema IntraNode { get; } = Map(
        Field.Req("fabric", Enum("none", "nvswitch", "nvlink_mesh", "pcie_switch"), "How the GPUs of a server meet."),
        Field.Opt("bandwidth_gbs", Positive(), "Per-GPU bandwidth into the fabric, GB/s per direction."),
        Field.Opt("latency_us", Number(min: 0, max: 1e6), "One hop, microseconds.", "0"),
        Field.Opt("nvlinks_per_gpu", Integer(min: 0, max: 64), "NVLinks per GPU (NCCL's bandwidth model counts them).", "0"));

    public static MapSchema Nics { get; } = Map(
        Field.Req("count", Integer(min: 1, max: 1024), "Network cards for inter-node traffic."),
        Field.Req("bandwidth_gbit", Positive(), "Line rate of one NIC, Gbit/s."),
        Field.Req("latency_us", Number(min: 0, max: 1e6), "One network hop, microseconds."),
        Field.Opt("transport", Enum("infiniband", "roce", "tcp"), "How the NICs carry traffic.", "infiniband"));

    public static MapSchema Root { get; } = Map(
        Field.Req("name", String(), "Server model name."),
        Field.Req("device", Device, "The GPU (or CPU host)."),
        Field.Req("devices_per_node", Integer(min: 1, max: 1024), "Devices per server."),
        Field.Req("intra_node", IntraNode, "The devices' interconnect inside a server."),
        Field.Req("nics", Nics, "The server's network cards."),
        Field.Opt("host_cpu", Enum("intel", "amd", "arm"), "Host CPU vendor (NCCL's per-step network overhead depends on it).", "intel"),
        Field.Req("source", String(), "Where the server's figures come from."));

    /// <summary>The reference page docs/hardware-schema.md, generated from <see cref="Root"/>.</summary>
    public static string ReferenceMarkdown() => SchemaMarkdown.Write(Root, "Hardware files",
        "Every key of a hardware file: one server model (its GPU, the GPUs' interconnect, its NICs), generated from the schema that validates it. " +
        "The shipped presets are the files in hardware/ (" + string.Join(", ", HardwarePresets.Names) + "); a scenario names any other file with `cluster.hardware`, " +
        "so a new machine needs no recompiling. Bad files get errors naming the file, line, column and key path (exit code 2). Figures and sources: docs/gpu-costs.md.");
}
