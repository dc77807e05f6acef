namespace Sim.Models.Training;

/// <summary>
/// DDP's CPU costs on a shared host that scale with tensor counts rather than bytes (profile v6, measured by the
/// profiler on real DDP steps, never tuned): what the reducer costs per parameter tensor (its autograd hook and the
/// copies into and out of the bucket) with more than one worker and with a single one, what a single worker's buffer
/// sync before every forward costs for the model's buffer tensors, and the share of a single worker's DDP work its
/// compute thread does; and (profile v9) what DDP costs a single worker once per step whatever its buckets and tensors.
/// <see cref="None"/> charges nothing, as before profile v6.
/// </summary>
public sealed record DdpTensorCosts(double CpuPerTensorSeconds, double AloneCpuPerTensorSeconds, double AloneBufferSyncCpuSeconds, double AloneComputeThreadShare,
    double AloneCpuPerStepSeconds = 0)
{
    /// <summary>No per-tensor terms: nothing charged, the compute thread does all of a single worker's DDP work.</summary>
    public static DdpTensorCosts None { get; } = new(0, 0, 0, 1);

    /// <summary>CPU per parameter tensor that a job of <paramref name="workers"/> workers pays: a single worker's term for one,
    /// the co-located ranks' term for more.</summary>
    public double CpuPerTensor(int workers) => workers == 1 ? AloneCpuPerTensorSeconds : CpuPerTensorSeconds;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad term.</summary>
    public void Validate()
    {
        if (!(CpuPerTensorSeconds >= 0) || !double.IsFinite(CpuPerTensorSeconds)) throw new ArgumentException($"DDP CPU per tensor: expected >= 0 s, got {CpuPerTensorSeconds}");
        if (!(AloneCpuPerTensorSeconds >= 0) || !double.IsFinite(AloneCpuPerTensorSeconds)) throw new ArgumentException($"single-process DDP CPU per tensor: expected >= 0 s, got {AloneCpuPerTensorSeconds}");
        if (!(AloneBufferSyncCpuSeconds >= 0) || !double.IsFinite(AloneBufferSyncCpuSeconds)) throw new ArgumentException($"single-process buffer sync CPU: expected >= 0 s, got {AloneBufferSyncCpuSeconds}");
        if (!(AloneCpuPerStepSeconds >= 0) || !double.IsFinite(AloneCpuPerStepSeconds)) throw new ArgumentException($"single-process DDP CPU per step: expected >= 0 s, got {AloneCpuPerStepSeconds}");
        if (!(AloneComputeThreadShare >= 0 && AloneComputeThreadShare <= 1)) throw new ArgumentException($"single-process DDP compute-thread share: expected 0..1, got {AloneComputeThreadShare}");
    }
}
