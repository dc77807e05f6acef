namespace Sim.Models.Workloads;

/// <summary>
/// One GPU kernel of a layer's forward pass, described by its shape per sample so that a
/// kernel-level compute model can cost it on a device (tiles, waves, bandwidth) instead of dividing
/// the layer's FLOPs by one efficiency. Like an itemised bill instead of a total. The backward pass
/// is derived from the same description (a GEMM's input- and weight-gradient GEMMs, twice the
/// traffic of an element-wise kernel, the attention backward kernel).
/// </summary>
public abstract record KernelOp(string Name);

/// <summary>
/// A matrix multiply of (rows x <paramref name="K"/>) by (<paramref name="K"/> x <paramref name="N"/>):
/// rows are <paramref name="RowsPerSample"/> times the micro-batch (tokens for a transformer). With
/// <paramref name="GroupsPerSample"/> > 0 it is a batched GEMM instead: that many independent
/// products per sample (attention heads), each of <paramref name="RowsPerSample"/> rows, whose tiles
/// share the waves; the groups split over the tensor-parallel group.
/// </summary>
public sealed record GemmKernel(string Name, double RowsPerSample, double N, double K, TensorSplit Split, double GroupsPerSample = 0) : KernelOp(Name);

/// <summary>
/// Fused (flash) attention over one sequence: <paramref name="Heads"/> query heads of dimension
/// <paramref name="HeadDim"/> over <paramref name="Sequence"/> tokens, causal or not. Heads split over
/// the tensor-parallel group. <paramref name="FirstGeneration"/>: the FlashAttention-1 kernel (Dao et al.
/// 2022) rather than FlashAttention-2 (Dao 2023), same FLOPs, slower.
/// </summary>
public sealed record AttentionKernel(string Name, int Heads, int Sequence, int HeadDim, bool Causal, bool FirstGeneration = false) : KernelOp(Name)
{
    /// <summary>FLOPs the kernel does in forward per sequence: QK^T and PV, 4 s^2 d per head, half of
    /// it under a causal mask (fused kernels skip the masked blocks; FlashAttention counts it so).</summary>
    public double ForwardFlops => 4.0 * Sequence * Sequence * HeadDim * Heads * (Causal ? 0.5 : 1.0);
}

/// <summary>A memory-bound kernel (norm, activation, dropout, residual add): bytes read plus written per sample.</summary>
public sealed record StreamKernel(string Name, double BytesPerSample, TensorSplit Split) : KernelOp(Name);
