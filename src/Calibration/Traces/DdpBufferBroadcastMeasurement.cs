// One configuration of the profiler's two-rank buffer broadcast benchmark (sim-measurements v8), like timing a relay team
// with and without the baton hand-over: a synthetic stack of conv + BatchNorm2d + ReLU blocks (never a validated model) run
// in free-running loops three ways, each in its own pair of fresh processes: unwrapped, wrapped in DDP, and wrapped in DDP with
// broadcast_buffers=False. DDP minus its no-broadcast twin is what the buffer broadcast before every forward costs a rank inside
// a training loop; the twin minus the unwrapped model is DDP's other work (hooks, bucket copies, gloo's all-reduces) for conv and
// BatchNorm parameters.
namespace Sim.Calibration.Traces;

/// <param name="Backend">Collective backend ("gloo").</param>
/// <param name="WorldSize">Ranks (processes), one compute thread each.</param>
/// <param name="Batch">Samples per rank and step.</param>
/// <param name="Blocks">conv + BatchNorm2d + ReLU blocks.</param>
/// <param name="Width">Channels of every block.</param>
/// <param name="MapSize">Height and width of the feature maps.</param>
/// <param name="Tensors">Parameter tensors (a convolution weight, a BatchNorm weight and bias per block).</param>
/// <param name="Bytes">Gradient bytes per step per rank.</param>
/// <param name="BufferTensors">Buffer tensors (BatchNorm's running mean, running variance and batch counter per block).</param>
/// <param name="BufferBytes">Bytes of those buffers: what the broadcast sends.</param>
/// <param name="BucketCapBytes">DDP's bucket_cap_mb in bytes.</param>
/// <param name="BucketSizes">Bytes of each bucket DDP reduced per step, as DDP logged them after rebuilding its buckets.</param>
/// <param name="Steps">Measured consecutive steps of each variant and repeat.</param>
/// <param name="Ddp">DDP with the buffer broadcast (PyTorch's default).</param>
/// <param name="NoBroadcast">DDP with broadcast_buffers=False.</param>
/// <param name="Plain">The unwrapped model.</param>
public sealed record DdpBufferBroadcastMeasurement(string Backend, int WorldSize, int Batch, int Blocks, int Width, int MapSize,
    int Tensors, long Bytes, int BufferTensors, long BufferBytes, long BucketCapBytes, IReadOnlyList<long> BucketSizes, int Steps,
    FreeRunningStep Ddp, FreeRunningStep NoBroadcast, FreeRunningStep Plain)
{
    /// <summary>CPU seconds per step the buffer broadcast costs one rank over a run: DDP minus DDP without the broadcast, in
    /// mean process CPU per step (the broadcast's cost is heavy-tailed: a difference of per-step medians misses most of it; may
    /// come out negative on a loaded machine, where the two differ by less than the noise).</summary>
    public double BroadcastCpuSecondsPerStep => Ddp.MeanCpuSeconds - NoBroadcast.MeanCpuSeconds;

    /// <summary>Wall seconds per step the buffer broadcast adds to a step of two free-running ranks on this machine's cores: DDP
    /// minus DDP without the broadcast, in the slowest rank's median step (the same kind of difference as the wall a bucket adds,
    /// <see cref="DdpStepMeasurement"/>: it holds the broadcast's CPU and every wait it makes a rank do).</summary>
    public double BroadcastWallSecondsPerStep => Ddp.WallSeconds - NoBroadcast.WallSeconds;

    /// <summary>The rest of what DDP costs one rank per step (the reducer's hooks and copies, gloo's all-reduces), without the
    /// broadcast: DDP without the broadcast minus the unwrapped model.</summary>
    public double DdpCpuSecondsPerStep => NoBroadcast.CpuSeconds - Plain.CpuSeconds;

    /// <summary>The same rows as a DDP step benchmark row (<see cref="DdpStepMeasurement"/>, kind
    /// <see cref="DdpStepMeasurement.ConvBatchNorm"/>): the no-broadcast twin against the unwrapped model, with
    /// <see cref="Blocks"/> as layers and <see cref="Tensors"/> parameter tensors, for the per-bucket and per-tensor fit.</summary>
    public DdpStepMeasurement AsDdpStep() => new(Backend, WorldSize, Blocks, Width, Bytes, BucketCapBytes, BucketSizes, Steps,
        NoBroadcast.CpuSeconds, NoBroadcast.MainThreadCpuSeconds, Plain.CpuSeconds, Plain.MainThreadCpuSeconds, NoBroadcast.WallSeconds,
        Plain.WallSeconds, Kind: DdpStepMeasurement.ConvBatchNorm, ParameterTensors: Tensors,
        MeanCpuSeconds: NoBroadcast.MeanCpuSeconds, PlainMeanCpuSeconds: Plain.MeanCpuSeconds);
}

/// <summary>Medians over a free-running loop's steps (and over repeats): process CPU and compute-thread CPU per rank (mean over
/// ranks), and the slowest rank's wall time; <see cref="MeanCpuSeconds"/> is the loop's mean process CPU per step (median over
/// repeats, mean over ranks).</summary>
public sealed record FreeRunningStep(double CpuSeconds, double MainThreadCpuSeconds, double WallSeconds, double MeanCpuSeconds);
