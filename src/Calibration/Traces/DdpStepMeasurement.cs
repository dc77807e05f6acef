// One configuration of the profiler's DDP step benchmark, like weighing a lorry loaded and then empty
// on the same scale to get the load: real DistributedDataParallel steps of a synthetic model (a stack of
// bias-free square Linear layers, never one of the validated models) and the same steps of an unwrapped
// copy, alternating in the same two processes, each step after a barrier. The process CPU difference per
// step is everything DDP costs a rank: the reducer's autograd hooks, copying gradients into their buckets
// and back, dividing by the world size, and gloo's threads reducing the buckets. From v5 the plain step
// also runs on each rank alone while the others wait in a barrier: against the plain step of all ranks at
// once, what co-located ranks cost each other's compute.
namespace Sim.Calibration.Traces;

/// <param name="Backend">Collective backend ("gloo").</param>
/// <param name="WorldSize">Ranks (processes), one compute thread each.</param>
/// <param name="Layers">Linear layers of the synthetic model (one parameter tensor each).</param>
/// <param name="Width">Each layer is Width x Width.</param>
/// <param name="Bytes">Gradient bytes per step per rank (4 x Layers x Width^2).</param>
/// <param name="BucketCapBytes">DDP's bucket_cap_mb in bytes (the first bucket is capped at 1 MiB by DDP itself).</param>
/// <param name="BucketSizes">Bytes of each bucket DDP reduced per step, as DDP logged them after rebuilding its buckets.</param>
/// <param name="Steps">Measured steps of each variant.</param>
/// <param name="CpuSeconds">Median process CPU per DDP step (mean over ranks).</param>
/// <param name="MainThreadCpuSeconds">Median compute-thread CPU per DDP step (mean over ranks).</param>
/// <param name="PlainCpuSeconds">Median process CPU per step of the unwrapped model (mean over ranks).</param>
/// <param name="PlainMainThreadCpuSeconds">Median compute-thread CPU per step of the unwrapped model (mean over ranks).</param>
/// <param name="WallSeconds">Median DDP step wall time (slowest rank).</param>
/// <param name="PlainWallSeconds">Median wall time of the unwrapped step (slowest rank).</param>
/// <param name="SoloMainThreadCpuSeconds">Median compute-thread CPU of the unwrapped step run by one rank while the others
/// wait (mean over ranks); null before sim-measurements v5.</param>
/// <param name="SoloWallSeconds">Median wall time of that solo step (slowest rank); null before v5.</param>
/// <param name="Kind">What the synthetic model stacks: "linear" (Linear layers; rows without a kind) or "conv" (3x3
/// convolutions, <see cref="Width"/> channels in and out), for a co-run compute factor per kind of layer.</param>
/// <param name="ParameterTensors">The synthetic model's parameter tensors (sim-measurements v6 adds Linear stacks with biases,
/// two per layer); null where the row does not record it: one per layer (<see cref="Tensors"/>).</param>
/// <param name="MeanCpuSeconds">The DDP loop's mean process CPU per step (median over repeats, mean over ranks; sim-measurements v8,
/// null before).</param>
/// <param name="PlainMeanCpuSeconds">The same for the unwrapped model (v8).</param>
public sealed record DdpStepMeasurement(
    string Backend,
    int WorldSize,
    int Layers,
    int Width,
    long Bytes,
    long BucketCapBytes,
    IReadOnlyList<long> BucketSizes,
    int Steps,
    double CpuSeconds,
    double MainThreadCpuSeconds,
    double PlainCpuSeconds,
    double PlainMainThreadCpuSeconds,
    double WallSeconds,
    double PlainWallSeconds,
    double? SoloMainThreadCpuSeconds = null,
    double? SoloWallSeconds = null,
    string Kind = DdpStepMeasurement.Linear,
    int? ParameterTensors = null,
    double? MeanCpuSeconds = null,
    double? PlainMeanCpuSeconds = null)
{
    public const string Linear = "linear", Conv = "conv";

    /// <summary>Rows of the two-rank buffer broadcast benchmark (<see cref="DdpBufferBroadcastMeasurement.AsDdpStep"/>, v8): conv +
    /// BatchNorm2d + ReLU blocks, DDP without the broadcast against the unwrapped model; never in a file's ddp_steps.</summary>
    public const string ConvBatchNorm = "convbn";

    /// <summary>Parameter tensors of the synthetic model (one per layer where the row does not say).</summary>
    public int Tensors => ParameterTensors ?? Layers;

    /// <summary>Buckets reduced per step.</summary>
    public int Buckets => BucketSizes.Count;

    /// <summary>CPU seconds DDP costs one rank per step (all threads): DDP step minus the plain step.</summary>
    public double DdpCpuSecondsPerStep => CpuSeconds - PlainCpuSeconds;

    /// <summary>CPU seconds DDP costs one rank per step over a run: the difference of the loops' mean process CPU per step where
    /// the row records them (v8), else <see cref="DdpCpuSecondsPerStep"/>. Two free-running ranks' DDP costs are heavy-tailed (a
    /// step now and then waits milliseconds on its peer), which a difference of per-step medians misses and a rank's CPU budget
    /// pays; what DDP's cost lines are fitted to.</summary>
    public double DdpRunCpuSecondsPerStep => MeanCpuSeconds is double ddp && PlainMeanCpuSeconds is double plain ? ddp - plain : DdpCpuSecondsPerStep;

    /// <summary>The same per bucket, at the mean bucket size <see cref="Bytes"/> / <see cref="Buckets"/>: a cost
    /// a + b S per bucket sums to a N + b (total bytes) per step, so the per-bucket mean lies on the same line.</summary>
    public double DdpCpuSecondsPerBucket => DdpCpuSecondsPerStep / Buckets;

    /// <summary>Wall seconds a DDP step takes beyond the plain step (slowest rank), per bucket at the mean bucket size:
    /// the reducer's work plus every wait on the all-reduces, as a step on otherwise free cores shows it.</summary>
    public double DdpWallSecondsPerBucket => (WallSeconds - PlainWallSeconds) / Buckets;

    /// <summary>The compute thread's CPU for the plain step with every rank computing at once, over the same step
    /// on one rank alone (v5; null before): above 1 when co-located ranks slow each other's compute (shared
    /// caches, memory bandwidth, a shared physical core).</summary>
    public double? CoRunComputeFactor => SoloMainThreadCpuSeconds is double solo ? PlainMainThreadCpuSeconds / solo : null;
}
