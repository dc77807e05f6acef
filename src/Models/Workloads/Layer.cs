namespace Sim.Models.Workloads;

/// <summary>
/// One layer of a neural network as the simulator sees it: how much arithmetic its forward and
/// backward passes do, how many bytes they move through device memory, how many parameters it holds
/// and how large an activation it hands to the next layer. Like a recipe card that lists the work and
/// the ingredients, not how to cook them: the compute model turns it into time on a device.
/// FLOPs count a multiply-add as 2 operations. Byte counts are at the model's training precision.
/// </summary>
public sealed record Layer
{
    public required string Name { get; init; }
    /// <summary>Operation class, used by calibrated compute models (e.g. "conv", "matmul", "elementwise").</summary>
    public required string Kind { get; init; }
    /// <summary>Forward FLOPs per sample.</summary>
    public required double ForwardFlops { get; init; }
    /// <summary>Backward FLOPs per sample (input and weight gradients: about twice the forward).</summary>
    public required double BackwardFlops { get; init; }
    /// <summary>Device-memory bytes read and written by the forward pass, per sample (weights excluded).</summary>
    public double ForwardBytes { get; init; }
    /// <summary>Number of trainable parameters.</summary>
    public required double Parameters { get; init; }
    /// <summary>Bytes of the output activation per sample (what the next layer or pipeline stage receives).</summary>
    public required double OutputActivationBytes { get; init; }
    /// <summary>Bytes of activations kept for the backward pass, per sample.</summary>
    public double StoredActivationBytes { get; init; }
    /// <summary>The forward pass's kernels with their shapes, for kernel-level compute models; null
    /// when only the totals above are known (such models fall back to a roofline on the totals).</summary>
    public IReadOnlyList<KernelOp>? Kernels { get; init; }
    /// <summary>Bytes of non-trainable state (buffers) that data parallelism keeps in step by broadcasting it from
    /// rank 0 before every forward, as PyTorch DDP does with <c>broadcast_buffers=True</c>: BatchNorm's running mean
    /// and variance and its batch counter. 0 for layers without buffers.</summary>
    public double BufferBytes { get; init; }
    /// <summary>Parameter tensors the layer holds as PyTorch's modules hold them (a Linear or convolution's weight and its
    /// bias if any, a LayerNorm's scale and shift, an embedding table): DDP's reducer pays a hook and two copies per tensor,
    /// whatever its size. Null when the builder cannot know; then nothing is charged per tensor.</summary>
    public int? ParameterTensors { get; init; }
    /// <summary><see cref="ParameterTensors"/> where the builder knows it, else one tensor for a layer with parameters: what
    /// a per-tensor pass (optimizer, gradient accumulation, casts) launches kernels for.</summary>
    public int ParameterTensorCount => ParameterTensors ?? (Parameters > 0 ? 1 : 0);
    /// <summary>Buffer tensors (non-trainable state) the layer holds: 3 for a BatchNorm (running mean, running variance,
    /// batch counter), else 0. A single DDP process still syncs them before every forward, a cost per tensor.</summary>
    public int BufferTensors { get; init; }
}
