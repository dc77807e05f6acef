namespace Sim.Models.Memory;

/// <summary>
/// Bytes per parameter of the FP8 linear layers' weights on one rank under FP8 training
/// (<see cref="Compute.Fp8Recipe"/>), like a shop that keeps the full-size originals plus a stack of
/// pocket copies for daily use. Everything else of the model state (gradients, Adam's fp32 master,
/// momentum and variance) is as in <see cref="ModelStateMemory"/>.
/// <para>Why two FP8 bytes per weight on Hopper: the fprop GEMM reads the weight row-wise and the dgrad
/// GEMM column-wise, and Hopper's FP8 tensor cores cannot read FP8 column-wise, so Transformer Engine
/// keeps a physically transposed FP8 copy beside the row-wise one (Transformer Engine docs, "Low
/// precision training: Performance considerations - Handling transposes", nvidia.github.io/TransformerEngine;
/// Blackwell reads both usages from one copy, which is not modelled: <see cref="Compute.Fp8Recipe"/>
/// models Hopper). Megatron-Core quantizes the weights once per step and keeps the FP8 copies for all
/// micro-batches (Transformer Engine's <c>is_first_microbatch</c> weight caching), so they are resident.</para>
/// <para>Two layouts:</para>
/// <list type="bullet">
/// <item>BF16 weights (default): the 2-byte working copy (sharded under ZeRO-3 like any parameter) plus
/// the FP8 row-wise and transposed copies, 1 + 1 bytes.</item>
/// <item><c>fp8_param_gather</c> (Megatron-Core; Transformer Engine's <c>fp8_model_init</c>): the
/// working copy itself is FP8, 1 byte (sharded under ZeRO-3), plus the 1-byte transpose; no BF16 copy.
/// The fp32 master copy stays in the optimizer state.</item>
/// </list>
/// <para>Under ZeRO-3 the gathered full weights and their FP8 copies are transient (like the gathered
/// BF16 weights, which <see cref="ModelStateMemory"/> does not charge either), so only the shard is billed.</para>
/// </summary>
public static class Fp8WeightMemory
{
    /// <summary>Bytes per element of an FP8 (E4M3 / E5M2) tensor.</summary>
    public const double Fp8Bytes = 1;
    /// <summary>FP8 copies Hopper needs per weight: row-wise (fprop) and transposed (dgrad).</summary>
    public const int HopperUsages = 2;

    /// <summary>
    /// Bytes per FP8-linear parameter on one rank: the working copy (<c>Parameter</c>) and the FP8 copies
    /// beside it (<c>Fp8Copies</c>). Throws <see cref="ArgumentOutOfRangeException"/> for a data-parallel
    /// size below 1 or an unknown stage.
    /// </summary>
    public static (double Parameter, double Fp8Copies) PerParameter(ZeroStage stage, int dataParallel, bool fp8ParamGather)
    {
        double working = ModelStateMemory.PerParameter(stage, dataParallel).Parameters; // 2, or 2/N_d under ZeRO-3
        bool resident = stage != ZeroStage.Parameters;
        return fp8ParamGather
            ? (working * Fp8Bytes / ModelStateMemory.ParameterBytes, resident ? (HopperUsages - 1) * Fp8Bytes : 0)
            : (working, resident ? HopperUsages * Fp8Bytes : 0);
    }
}
