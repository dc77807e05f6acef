namespace Sim.Models.Memory;

/// <summary>
/// How far ZeRO (Rajbhandari et al., "ZeRO: Memory Optimizations Toward Training Trillion Parameter
/// Models", SC'20) shards the model states across the data-parallel group, like flatmates who stop
/// each keeping a full copy of the household files: first the optimizer's ledgers, then the gradients,
/// then the parameters themselves, each fetched from the owner when needed.
/// </summary>
public enum ZeroStage
{
    /// <summary>Plain data parallel: every rank holds all model states.</summary>
    None = 0,
    /// <summary>P_os: optimizer states sharded.</summary>
    OptimizerStates = 1,
    /// <summary>P_os+g: optimizer states and gradients sharded (gradients are reduce-scattered).</summary>
    Gradients = 2,
    /// <summary>P_os+g+p: parameters sharded too (all-gathered before each forward and backward).</summary>
    Parameters = 3,
}
