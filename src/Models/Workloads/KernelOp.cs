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
/// <paramref name="HeadDim"/>, <paramref name="Sequence"/> queries against <paramref name="Keys"/> keys
/// (0: as many keys as queries; never fewer), causal or not. Heads split over the tensor-parallel group.
/// <paramref name="Implementation"/>: which fused kernel runs it (same FLOPs, its own speed). With more keys than queries the causal mask is
/// aligned bottom-right (the queries are the last of the keys' positions, as a context-parallel rank's
/// chunk against the keys gathered before it): every query sees the keys before the block, and the
/// block's own q x q square is causal.
/// </summary>
public sealed record AttentionKernel(string Name, int Heads, int Sequence, int HeadDim, bool Causal, FlashAttentionKernel Implementation = FlashAttentionKernel.DeviceFigures, int Keys = 0) : KernelOp(Name)
{
    /// <summary>Keys each query attends over (unmasked) or up to (causal).</summary>
    public int KeyLength => Keys > 0 ? Keys : Sequence;

    /// <summary>FLOPs the kernel does in forward per sequence: QK^T and PV, 4 q k d per head; under a
    /// causal mask the masked half of the q x q square is skipped (fused kernels skip the masked
    /// blocks; FlashAttention counts it so): 4 d (q k - q^2 / 2), 2 s^2 d for a square.</summary>
    public double ForwardFlops => 4.0 * HeadDim * Heads * ((double)Sequence * KeyLength - (Causal ? 0.5 * Sequence * Sequence : 0));

    /// <summary>Forward FLOPs of the causal q x q square (0 without a mask); the rest, q (k - q), is unmasked.</summary>
    public double CausalSquareForwardFlops => Causal ? 2.0 * HeadDim * Heads * Sequence * Sequence : 0;
}

/// <summary>A memory-bound kernel (norm, activation, dropout, residual add): bytes read plus written per sample.
/// Its backward moves <paramref name="BackwardBytesPerSample"/> where the builder counts the backward kernels' own passes
/// (the CNN builder: batch norm's reduction and element-wise kernels, ReLU's threshold kernel); null: twice the forward
/// bytes (reads the output gradient and the saved input, writes the input gradient).</summary>
public sealed record StreamKernel(string Name, double BytesPerSample, TensorSplit Split, double? BackwardBytesPerSample = null) : KernelOp(Name)
{
    /// <summary>Bytes the backward kernel(s) move per sample.</summary>
    public double BackwardBytes => BackwardBytesPerSample ?? 2 * BytesPerSample;
}
