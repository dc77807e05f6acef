// One configuration of the profiler's DDP-pattern benchmark, like timing a relay team on the real
// course instead of each runner alone: two ranks, one compute thread each; every step computes a
// fixed matmul per bucket and launches that bucket's all-reduce asynchronously right after it
// (as DDP's reducer does when backward has produced a bucket's gradients), then waits for every
// handle. Steps without the all-reduces alternate with them, so the difference in process CPU time
// is what the communication costs one rank in this pattern (gloo's worker and TCP threads, user and
// kernel time, plus what the calling thread spends launching and waiting).
namespace Sim.Calibration.Traces;

/// <param name="BucketBytes">Bytes of each bucket's gradient tensor (per rank).</param>
/// <param name="Buckets">Buckets (all-reduces) per step.</param>
/// <param name="ComputeFlops">FLOPs of the synthetic compute before each bucket.</param>
/// <param name="WallSeconds">Median step wall time with the all-reduces (slowest rank).</param>
/// <param name="CpuSeconds">Median process CPU time per step with the all-reduces (mean over ranks).</param>
/// <param name="MainThreadCpuSeconds">Median CPU time of the compute thread alone per step with the all-reduces (mean over ranks).</param>
/// <param name="ComputeWallSeconds">Median step wall time of the same compute without all-reduces (slowest rank).</param>
/// <param name="ComputeCpuSeconds">Median process CPU time per step without all-reduces (mean over ranks).</param>
public sealed record DdpPatternMeasurement(
    string Backend,
    int WorldSize,
    long BucketBytes,
    int Buckets,
    double ComputeFlops,
    int Steps,
    double WallSeconds,
    double CpuSeconds,
    double MainThreadCpuSeconds,
    double ComputeWallSeconds,
    double ComputeCpuSeconds)
{
    /// <summary>CPU seconds one rank spends per bucket on the communication: the step's process CPU
    /// with the all-reduces minus without them, per bucket.</summary>
    public double CommunicationCpuSecondsPerBucket => (CpuSeconds - ComputeCpuSeconds) / Buckets;
}
