namespace Sim.Calibration.Gpu;

/// <summary>One timed GEMM C[m x n] = A[m x k] B[k x n]; <see cref="HeldOut"/> shapes are never used to fit.</summary>
public sealed record GemmMeasurement(double M, double N, double K, double Seconds, bool HeldOut);

/// <summary>One fused-attention shape (batch x heads, sequence, head dimension) timed forward and backward.</summary>
public sealed record AttentionMeasurement(int Batch, int Heads, int Sequence, int HeadDim, bool Causal, double ForwardSeconds, double BackwardSeconds)
{
    /// <summary>Forward FLOPs the way <c>AttentionKernel.ForwardFlops</c> counts them (4 s^2 d per head, half when causal), times the batch.</summary>
    public double ForwardFlops => 4.0 * Sequence * Sequence * HeadDim * Heads * Batch * (Causal ? 0.5 : 1.0);
}

/// <summary>One memory-bound kernel (add, layer_norm, gelu) with the bytes it reads plus writes.</summary>
public sealed record MemoryMeasurement(string Op, double Bytes, double Seconds);

/// <summary>
/// One pre-norm GPT block (causal fused attention, GELU FFN of width <paramref name="Ffn"/>, no dropout)
/// timed forward plus backward on <paramref name="Batch"/> sequences, so the kernel model can predict it
/// from the block's own kernels (<c>Transformer.BlockKernels</c> costed by <c>KernelCompute</c>).
/// </summary>
public sealed record BlockStepMeasurement(int Batch, int Sequence, int Hidden, int Heads, int Ffn, double Seconds);

/// <summary>
/// One large GEMM timed in the two regimes a GPU runs in: a short burst after the device idled (the regime
/// every other measurement here, and every published microbenchmark, is taken in: the boost clock) and
/// again after <paramref name="SoakSeconds"/> of back-to-back runs of the same GEMM, when the board sits at
/// its power limit and the SM clock has settled. The ratio of the two rates is the sustained clock
/// fraction a compute-bound kernel feels (<c>GpuKernelFacts.SustainedClockFraction</c>). The SM clocks
/// seen in each regime (NVML) are recorded where the profiler could read them, for the record only.
/// </summary>
public sealed record SoakMeasurement(double M, double N, double K, double SoakSeconds, double BurstSeconds, double SustainedSeconds, double? BurstClockMhz, double? SustainedClockMhz)
{
    /// <summary>Sustained over burst throughput of the same GEMM: burst time / sustained time.</summary>
    public double SustainedFraction => BurstSeconds / SustainedSeconds;
}

/// <summary>
/// A "sim-gpu-measurements" file (v2; v1 files, which lack the soak, still read) written by profiler/gpu_kernels.py. <see cref="DeviceKind"/> is
/// "cuda" for a real GPU run and "cpu" for the format check on a machine without one (then every figure
/// is a CPU figure and says nothing about a GPU).
/// </summary>
public sealed record GpuMeasurementSet
{
    public const string Format = "sim-gpu-measurements";
    /// <summary>The version the profiler writes: 2 adds <see cref="Soak"/> (required from v2 on).</summary>
    public const int Version = 2;

    public required string FilePath { get; init; }
    public required string DeviceKind { get; init; }
    public required string DeviceName { get; init; }
    /// <summary>SM count the device reports (CPU runs report their core count).</summary>
    public required int StreamingMultiprocessors { get; init; }
    public required string TorchVersion { get; init; }
    public required string CudaVersion { get; init; }
    public required string Date { get; init; }
    public required string DataType { get; init; }
    /// <summary>GPU time per empty kernel in a back-to-back launch loop, seconds.</summary>
    public required double KernelOverheadSeconds { get; init; }
    public required IReadOnlyList<GemmMeasurement> Gemms { get; init; }
    public required IReadOnlyList<AttentionMeasurement> Attention { get; init; }
    public required IReadOnlyList<MemoryMeasurement> Memory { get; init; }
    public required BlockStepMeasurement BlockStep { get; init; }
    /// <summary>The burst-versus-sustained GEMM (v2); null in a v1 file.</summary>
    public SoakMeasurement? Soak { get; init; }

    /// <summary>True when the figures come from a GPU; false for the CPU format check.</summary>
    public bool IsGpu => DeviceKind == "cuda";
}
