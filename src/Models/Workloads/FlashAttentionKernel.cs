namespace Sim.Models.Workloads;

/// <summary>
/// Which fused (flash) attention kernel a transformer runs. The device's attention figures
/// (<c>GpuKernelFacts.AttentionForwardEfficiency</c> and its siblings) were measured on one kernel, the
/// fastest published for that GPU (FlashAttention-2 on A100, cuDNN's on Hopper); another kernel runs at
/// its own measured speed relative to that one, like a second car timed on the same track.
/// </summary>
public enum FlashAttentionKernel
{
    /// <summary>The kernel the device's attention figures describe.</summary>
    DeviceFigures,

    /// <summary>FlashAttention-1 (Dao et al. 2022), the only fused kernel before July 2023.</summary>
    FlashAttention1,

    /// <summary>FlashAttention-2 (Dao 2023), as flash-attn 2.x and PyTorch's flash SDPA backend run it.</summary>
    FlashAttention2,
}
