namespace Sim.Models.Training;

/// <summary>
/// The CPU host that data-parallel worker processes share (<see cref="CpuHostTrainingJob"/>): its cores, the
/// cores each other scheduling group on it uses, and the CPU one rank spends on an all-reduce of S bytes,
/// <c>alpha + beta S</c> (gloo on loopback copies and reduces through the kernel's TCP stack on these cores).
/// The all-reduce terms are the profiler's measurements (a profile's gloo link, fitted from real DDP steps of
/// synthetic models), never tuned; so are the optional ones of profile v5: the least wall time of a bucket's
/// all-reduce, <c>wall alpha + wall beta S</c> (0: none), the co-run compute factor (1: none), and what DDP costs a
/// single worker per bucket, <c>alone alpha + alone beta S</c> (0: none). The buffer broadcast before every forward
/// (DDP's broadcast_buffers, for models with BatchNorm) costs each rank <c>BufferBroadcastCpuSeconds</c> and at least
/// <c>BufferBroadcastWallSeconds</c> of wall time per iteration (0: none). <c>TensorCosts</c> are profile v6's terms per
/// parameter and buffer tensor (null: none), charged where the model's layers know their tensor counts.
/// </summary>
public sealed record CpuHostSettings(int Cores, IReadOnlyList<double> BackgroundGroupCores, double AllReduceCpuAlphaSeconds, double AllReduceCpuSecondsPerByte,
    double AllReduceWallAlphaSeconds = 0, double AllReduceWallSecondsPerByte = 0, double CoRunComputeFactor = 1,
    double AloneCpuAlphaSeconds = 0, double AloneCpuSecondsPerByte = 0, double BufferBroadcastCpuSeconds = 0, double BufferBroadcastWallSeconds = 0,
    double? ConvCoRunComputeFactor = null, DdpTensorCosts? TensorCosts = null)
{
    /// <summary>DDP's per-tensor terms (profile v6; <see cref="DdpTensorCosts.None"/> when not given).</summary>
    public DdpTensorCosts Tensors => TensorCosts ?? DdpTensorCosts.None;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad field.</summary>
    public void Validate()
    {
        if (Cores < 1) throw new ArgumentException($"cores: expected at least 1, got {Cores}");
        foreach (double g in BackgroundGroupCores)
            if (!(g >= 0) || !double.IsFinite(g)) throw new ArgumentException($"background_cores: expected finite numbers >= 0, got {g}");
        if (!(AllReduceCpuAlphaSeconds >= 0) || !double.IsFinite(AllReduceCpuAlphaSeconds)) throw new ArgumentException($"all-reduce CPU alpha: expected >= 0 s, got {AllReduceCpuAlphaSeconds}");
        if (!(AllReduceCpuSecondsPerByte >= 0) || !double.IsFinite(AllReduceCpuSecondsPerByte)) throw new ArgumentException($"all-reduce CPU per byte: expected >= 0, got {AllReduceCpuSecondsPerByte}");
        if (!(AllReduceWallAlphaSeconds >= 0) || !double.IsFinite(AllReduceWallAlphaSeconds)) throw new ArgumentException($"all-reduce wall alpha: expected >= 0 s, got {AllReduceWallAlphaSeconds}");
        if (!(AllReduceWallSecondsPerByte >= 0) || !double.IsFinite(AllReduceWallSecondsPerByte)) throw new ArgumentException($"all-reduce wall per byte: expected >= 0, got {AllReduceWallSecondsPerByte}");
        if (!(CoRunComputeFactor > 0) || !double.IsFinite(CoRunComputeFactor)) throw new ArgumentException($"co-run compute factor: expected > 0, got {CoRunComputeFactor}");
        if (ConvCoRunComputeFactor is double conv && (!(conv > 0) || !double.IsFinite(conv))) throw new ArgumentException($"conv co-run compute factor: expected > 0, got {conv}");
        if (!(AloneCpuAlphaSeconds >= 0) || !double.IsFinite(AloneCpuAlphaSeconds)) throw new ArgumentException($"single-process DDP CPU alpha: expected >= 0 s, got {AloneCpuAlphaSeconds}");
        if (!(AloneCpuSecondsPerByte >= 0) || !double.IsFinite(AloneCpuSecondsPerByte)) throw new ArgumentException($"single-process DDP CPU per byte: expected >= 0, got {AloneCpuSecondsPerByte}");
        if (!(BufferBroadcastCpuSeconds >= 0) || !double.IsFinite(BufferBroadcastCpuSeconds)) throw new ArgumentException($"buffer broadcast CPU: expected >= 0 s, got {BufferBroadcastCpuSeconds}");
        if (!(BufferBroadcastWallSeconds >= 0) || !double.IsFinite(BufferBroadcastWallSeconds)) throw new ArgumentException($"buffer broadcast wall: expected >= 0 s, got {BufferBroadcastWallSeconds}");
        Tensors.Validate();
    }

    /// <summary>The co-run factor of convolution layers (measured on convolution stacks; without it the Linear-stack factor).</summary>
    public double ConvCoRunFactor => ConvCoRunComputeFactor ?? CoRunComputeFactor;

    /// <summary>The least wall seconds an all-reduce of <paramref name="bytes"/> per rank takes (0 without the v5 term).</summary>
    public double AllReduceWallSeconds(double bytes) => AllReduceWallAlphaSeconds + AllReduceWallSecondsPerByte * bytes;

    /// <summary>CPU a single worker spends on DDP per bucket of <paramref name="bytes"/> (0 without the v5 term).</summary>
    public double AloneCpuSeconds(double bytes) => AloneCpuAlphaSeconds + AloneCpuSecondsPerByte * bytes;

    /// <summary>CPU seconds one rank spends on an all-reduce of <paramref name="bytes"/> per rank.</summary>
    public double AllReduceCpuSeconds(double bytes) => AllReduceCpuAlphaSeconds + AllReduceCpuSecondsPerByte * bytes;
}
