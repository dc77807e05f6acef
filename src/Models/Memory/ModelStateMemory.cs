namespace Sim.Models.Memory;

/// <summary>
/// Bytes of model state per parameter for mixed-precision Adam, like a filing cabinet per parameter:
/// a 2-byte fp16/bf16 working copy, a 2-byte fp16/bf16 gradient, and K = 12 bytes of optimizer state
/// (fp32 master copy, fp32 momentum, fp32 variance). ZeRO (Rajbhandari et al., SC'20, Figure 1 and
/// Section 5) shards these drawers across the N_d data-parallel ranks:
/// none 2 + 2 + K = 16; stage 1 2 + 2 + K/N_d; stage 2 2 + (2 + K)/N_d; stage 3 (2 + 2 + K)/N_d.
/// </summary>
public static class ModelStateMemory
{
    /// <summary>fp16/bf16 parameter copy, bytes per parameter (the paper's 2Ψ).</summary>
    public const double ParameterBytes = 2;
    /// <summary>fp16/bf16 gradient, bytes per parameter (the paper's 2Ψ).</summary>
    public const double GradientBytes = 2;
    /// <summary>Adam's fp32 master parameter, momentum and variance: the paper's K = 12.</summary>
    public const double AdamOptimizerBytes = 12;

    /// <summary>Per-parameter bytes of each model-state part on one rank under <paramref name="stage"/>.</summary>
    public static (double Parameters, double Gradients, double OptimizerStates) PerParameter(ZeroStage stage, int dataParallel)
    {
        if (dataParallel < 1) throw new ArgumentOutOfRangeException(nameof(dataParallel), dataParallel, "data-parallel size must be >= 1");
        double nd = dataParallel;
        return stage switch
        {
            ZeroStage.None => (ParameterBytes, GradientBytes, AdamOptimizerBytes),
            ZeroStage.OptimizerStates => (ParameterBytes, GradientBytes, AdamOptimizerBytes / nd),
            ZeroStage.Gradients => (ParameterBytes, GradientBytes / nd, AdamOptimizerBytes / nd),
            ZeroStage.Parameters => (ParameterBytes / nd, GradientBytes / nd, AdamOptimizerBytes / nd),
            _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "unknown ZeRO stage"),
        };
    }

    /// <summary>Total model-state bytes per parameter on one rank (16 without ZeRO).</summary>
    public static double BytesPerParameter(ZeroStage stage, int dataParallel)
    {
        var (p, g, o) = PerParameter(stage, dataParallel);
        return p + g + o;
    }
}
