using Sim.Models.Hardware;

namespace Sim.Models.Compute;

/// <summary>How FP8 scaling factors are chosen (Transformer Engine / Megatron-Core <c>--fp8-recipe</c>).</summary>
public enum Fp8Scaling
{
    /// <summary>Delayed scaling: the scale comes from the amax history of earlier steps, so the amax of
    /// the tensor being cast is recorded by the cast kernel itself (one pass).</summary>
    Delayed,
    /// <summary>Per-tensor current scaling ("tensorwise"): the amax of the tensor is needed before it is
    /// cast, so an amax reduction reads the tensor once more before the cast pass.</summary>
    Tensorwise,
}

/// <summary>
/// FP8 training as NVIDIA Transformer Engine runs it on Hopper (the <c>--fp8-format hybrid</c> recipe of
/// Megatron-Core and NeMo): the transformer block's linear layers (QKV, attention output, FC1, FC2) run
/// their three GEMMs - forward (fprop), input gradient (dgrad) and weight gradient (wgrad) - with FP8
/// operands at the device's FP8 peak and its own measured FP8 GEMM efficiency, accumulating and writing
/// BF16; everything else (attention, norms, activations, the router, the output layer and loss)
/// stays BF16. Like a courier who packs parcels into smaller boxes before each trip: the trips are
/// faster, the packing costs time of its own.
/// <para>The packing is the cast: before an FP8 GEMM each BF16 operand is cast to FP8 by a memory-bound
/// kernel that reads it (2 bytes per element) and writes it twice (1 byte each), once as is and once
/// transposed, because Hopper's FP8 tensor-core GEMMs take only K-major (TN) operands and the wgrad
/// GEMM needs the transposes (Transformer Engine's cast_transpose kernels). Per linear layer that is
/// the input X (m x k) in forward and the output gradient dY (m x n) in backward. Tensorwise scaling
/// adds one amax read pass (2 bytes per element) and one kernel before each cast.</para>
/// <para>Not charged here: the per-step cast of the weights (2 bytes read, 2 written per parameter of the
/// FP8 layers), which Megatron-Core does once per step (Transformer Engine's is_first_microbatch
/// caching) - a few milliseconds per step at HBM speed; the amax-history update of delayed scaling
/// (one tiny kernel per step); casts Transformer Engine fuses into the preceding LayerNorm or GeLU.</para>
/// </summary>
public sealed record Fp8Recipe
{
    /// <summary>Bytes per element the cast kernel moves: BF16 read (2) plus FP8 and FP8-transposed writes (1 + 1).</summary>
    public const double CastBytesPerElement = 2 + 1 + 1;
    /// <summary>Bytes per element of the amax pass that tensorwise (current) scaling adds: one BF16 read.</summary>
    public const double AmaxBytesPerElement = 2;

    /// <summary>The GEMMs Transformer Engine's Linear, LayerNormLinear and LayerNormMLP modules run in FP8
    /// (the kernel names of <see cref="Workloads.Transformer"/>); the MoE router and the output layer
    /// (logits) are plain Megatron layers and stay BF16.</summary>
    public static readonly IReadOnlySet<string> Fp8Gemms = new HashSet<string>(StringComparer.Ordinal) { "qkv", "attention_out", "fc1", "fc2" };

    /// <summary>Megatron-Core's default: delayed scaling (<c>--fp8-recipe delayed</c>).</summary>
    public static Fp8Recipe Delayed { get; } = new() { Scaling = Fp8Scaling.Delayed };

    public Fp8Scaling Scaling { get; init; } = Fp8Scaling.Delayed;

    /// <summary>Whether a GEMM kernel named <paramref name="gemmName"/> runs in FP8 under this recipe.</summary>
    public static bool RunsInFp8(string gemmName) => Fp8Gemms.Contains(gemmName);

    /// <summary>
    /// Seconds of one FP8 linear layer's GEMM Y[m x n] = X[m x k] W[k x n] with its casts: forward, the
    /// fprop GEMM (m, n, k) plus the cast of X; backward, the dgrad (m, k, n) and wgrad (k, n, m) GEMMs
    /// plus the cast of dY. GEMMs by <see cref="GemmCost"/> at the FP8 peak and the device's measured FP8
    /// GEMM efficiency with 1-byte operands; casts at streaming bandwidth, each with its kernel overhead.
    /// Throws <see cref="SpecError"/> if the device has no FP8 peak or no FP8 GEMM measurement.
    /// </summary>
    public double LinearSeconds(double m, double n, double k, double count, bool backward, DeviceSpec device)
    {
        var facts = Fp8Facts(device);
        double peak = device.PeakFlopsFor(Precision.Fp8);
        double Gemm(double a, double b, double c) => GemmCost.Seconds(a, b, c, facts, peak, device.MemoryBandwidth, 1, count);
        return backward
            ? Gemm(m, k, n) + Gemm(k, n, m) + CastSeconds(count * m * n, device)
            : Gemm(m, n, k) + CastSeconds(count * m * k, device);
    }

    /// <summary>
    /// Weight parameters of one transformer block that live in the FP8 linears (<see cref="Fp8Gemms"/>):
    /// QKV h x (h + 2 kv d), attention output h x h, FC1 h x f (2f gated) and FC2 f x h, the FFN ones
    /// once per expert. Biases, norms and the MoE router stay BF16 (Transformer Engine quantizes only
    /// the GEMM weights). These are the parameters that <c>fp8_param_gather</c> gathers at 1 byte and
    /// whose FP8 copies the memory model charges (<see cref="Memory.Fp8WeightMemory"/>).
    /// </summary>
    public static double LinearWeightParameters(Workloads.TransformerConfig c)
    {
        double h = c.Hidden, f = c.Ffn;
        return h * c.QkvWidth + h * h + (c.GatedFfn ? 3 : 2) * h * f * c.Experts;
    }

    /// <summary>Seconds to cast <paramref name="elements"/> BF16 elements to FP8 (and its transpose),
    /// with the amax pass tensorwise scaling needs.</summary>
    public double CastSeconds(double elements, DeviceSpec device)
    {
        if (elements <= 0) return 0;
        var facts = Fp8Facts(device);
        double bandwidth = device.MemoryBandwidth * facts.MemoryEfficiency;
        double seconds = elements * CastBytesPerElement / bandwidth + facts.KernelOverheadSeconds;
        if (Scaling == Fp8Scaling.Tensorwise) seconds += elements * AmaxBytesPerElement / bandwidth + facts.KernelOverheadSeconds;
        return seconds;
    }

    /// <summary>The device's kernel facts with the FP8 GEMM efficiency in place of the BF16 one.</summary>
    public static GpuKernelFacts Fp8Facts(DeviceSpec device)
    {
        var facts = device.Kernels ?? throw new SpecError($"device '{device.Name}'", "has no kernel figures; FP8 training needs the kernel compute model");
        if (!device.PeakFlops.ContainsKey(Precision.Fp8))
            throw new SpecError($"device '{device.Name}'", "has no FP8 tensor cores (no fp8 peak)");
        return facts.Fp8GemmEfficiency is { } e
            ? facts with { GemmEfficiency = e }
            : throw new SpecError($"device '{device.Name}'.kernels.fp8GemmEfficiency", "no measured FP8 GEMM efficiency is known for this device (hardware file key device.kernels.fp8_gemm_efficiency); FP8 training is refused rather than guessed");
    }

    /// <summary>"fp8 delayed" / "fp8 tensorwise", for reports.</summary>
    public string Describe() => $"fp8 {Scaling.ToString().ToLowerInvariant()} (TE hybrid: FP8 qkv/proj/fc1/fc2 GEMMs, BF16 elsewhere)";
}
