namespace Sim.Calibration.Fitting;

/// <summary>
/// A fitted alpha-beta cost for one class of link (for example "loopback-gloo" or "nvlink"),
/// with the collective measurements it came from: a toll tariff with the receipts stapled on.
/// <see cref="HostCpu"/>, when the CPU time of the collective was measured, is the CPU work one
/// rank spends per collective, as a line in the message size (seconds of one core = A + B bytes):
/// on a CPU host (gloo over loopback) the bytes are moved and reduced by the same cores that
/// compute, so the simulator charges this work to the host's cores instead of a separate wire.
/// <see cref="HostCpuInDdp"/> is the same cost measured in DDP's pattern (asynchronous all-reduces
/// launched between bucket computations, all waited for at the end of the step), per bucket.
/// <see cref="HostCpuOfDdpStep"/> is everything a real DDP step costs a rank beyond the same step
/// without DDP (reducer hooks, bucket copies, gloo's threads), per bucket, measured on synthetic models.
/// From the same benchmark (v5), <see cref="DdpStepWall"/> is the wall time a bucket adds to a step, and
/// <see cref="CoRunComputeFactor"/> the compute thread's CPU for a step with every rank computing at once over
/// the same step on one rank alone (Linear stacks), <see cref="ConvCoRunComputeFactor"/> the same on convolution stacks
/// (null when not measured: the Linear factor stands in); <see cref="HostCpuOfDdpStepAlone"/> is what DDP costs a single process per bucket
/// (a world of one: the reducer's hooks and copies and a one-rank all-reduce, on the synthetic models).
/// <see cref="DdpCpuPerTensor"/> and <see cref="DdpAloneCpuPerTensor"/> (profile v6; null before, or when not measurable) are
/// what DDP costs per parameter tensor beyond the per-bucket lines, with several ranks and in a single process
/// (<see cref="DdpStepCostFitter"/>). <see cref="DdpAloneBufferSync"/> (profile v6) is what DDP's buffer sync before every forward
/// costs a single process (<see cref="DdpBufferSyncCost"/>), and <see cref="DdpAloneComputeThreadShare"/> (profile v6) the share of
/// a single process's DDP cost its compute thread spends (the rest runs on the process's other threads, beside it).
/// <see cref="DdpBufferBroadcast"/> (profile v7) is what the buffer broadcast before every forward costs each of two free-running
/// ranks, measured in training loops of conv + BatchNorm stacks (<see cref="DdpBufferSyncCost.FitTheilSen"/>), and
/// <see cref="DdpBufferBroadcastWall"/> (profile v8) the wall time it adds to such a step (<see cref="DdpBufferSyncCost.FitTheilSenWall"/>).
/// <see cref="DdpAloneCpuPerStep"/> (profile v9; null before, or when the world-of-one rows do not vary the buckets apart from the
/// step) is what DDP costs a single process once per step beside its per-bucket line and per-tensor term
/// (<see cref="DdpStepCostFitter.FitWithStep"/>); where it is present <see cref="HostCpuOfDdpStepAlone"/> and
/// <see cref="DdpAloneCpuPerTensor"/> are the same fit's other terms.
/// </summary>
public sealed record LinkFit(
    string LinkClass,
    string Backend,
    string Collective,
    int Ranks,
    LinkCost Cost,
    int Points,
    double MedianRelativeError,
    HostCpuCost? HostCpu = null,
    HostCpuCost? HostCpuInDdp = null,
    HostCpuCost? HostCpuOfDdpStep = null,
    DdpBucketWallTime? DdpStepWall = null,
    double? CoRunComputeFactor = null,
    HostCpuCost? HostCpuOfDdpStepAlone = null,
    double? ConvCoRunComputeFactor = null,
    double? DdpCpuPerTensor = null,
    double? DdpAloneCpuPerTensor = null,
    DdpBufferSyncCost? DdpAloneBufferSync = null,
    double? DdpAloneComputeThreadShare = null,
    DdpBufferSyncCost? DdpBufferBroadcast = null,
    DdpBufferSyncCost? DdpBufferBroadcastWall = null,
    double? DdpAloneCpuPerStep = null)
{
    /// <summary>
    /// The CPU a rank spends per DDP bucket, from the most faithful measurement the profile has: real DDP
    /// steps of synthetic models (profile v4), else bare all-reduces in DDP's pattern (v3), else isolated
    /// all-reduces (v2); null when the link carries no CPU cost (v1). One choice for both
    /// <c>sim validate ddp</c> and scenarios' <c>cpu_host_data_parallel</c>.
    /// </summary>
    public HostCpuCost? HostCpuPerDdpBucket => HostCpuOfDdpStep ?? HostCpuInDdp ?? HostCpu;
}
