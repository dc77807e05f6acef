using Sim.Models.Faults;
using Sim.Models.Workloads;

namespace Sim.Models.Training;

/// <summary>
/// A synchronous data-parallel job: every worker holds the whole model, trains on its own micro-batch,
/// and gradients are averaged by all-reduce in buckets overlapped with backward (PyTorch DDP, Horovod).
/// </summary>
public sealed record DataParallelConfig
{
    public required ModelSpec Model { get; init; }
    public required int Workers { get; init; }
    /// <summary>Samples per worker per iteration.</summary>
    public required int MicroBatch { get; init; }
    public required int Iterations { get; init; }
    /// <summary>2 for fp16/bf16 gradients (mixed precision), 4 for fp32.</summary>
    public double GradientBytesPerParameter { get; init; } = 4;
    /// <summary>DDP's bucket_cap_mb default: 25 MiB.</summary>
    public double BucketCapBytes { get; init; } = 25 * 1024 * 1024;
    /// <summary>DDP's first bucket: 1 MiB.</summary>
    public double FirstBucketCapBytes { get; init; } = 1024 * 1024;
    /// <summary>Overlap all-reduce with backward (DDP); false = all-reduce after backward.</summary>
    public bool Overlap { get; init; } = true;
    /// <summary>
    /// Speed concurrent compute keeps while a gradient bucket's collective runs beside it (NCCL's
    /// channels hold SMs and its traffic takes HBM bandwidth: <see cref="Sim.Models.Compute.CommInterference.RetainedSpeed"/>).
    /// 1 (the default) = no interference. Only overlapped buckets slow compute; must lie in (0, 1].
    /// </summary>
    public double CommRetainedSpeed { get; init; } = 1;
    /// <summary>Backup workers (Chen et al. 2016): the step proceeds when the fastest Workers - k are done.</summary>
    public int BackupWorkers { get; init; }
    /// <summary>Optimizer step time; null = memory-bound estimate from the compute model (see SyncDataParallel).</summary>
    public double? OptimizerSeconds { get; init; }
    /// <summary>The optimizer the step is costed as when <see cref="OptimizerSeconds"/> is not given.</summary>
    public OptimizerKind Optimizer { get; init; } = OptimizerKind.Adam;
    /// <summary>The host waits for the GPU just before the optimizer step (PyTorch AMP's GradScaler reads its
    /// inf/NaN flag with <c>.item()</c>), so a host-bound optimizer loop is exposed (<see cref="PerTensorSgd"/>).</summary>
    public bool OptimizerAfterHostSync { get; init; }
    /// <summary>Samples per optimizer step (gradient accumulation, DeepLearningExamples' --optimizer-batch-size):
    /// the optimizer steps once every OptimizerBatch / (Workers x MicroBatch) iterations; null = every iteration.</summary>
    public int? OptimizerBatch { get; init; }

    /// <summary>
    /// Period of the background loop that issues the gradient all-reduces (Horovod: its background thread wakes every
    /// HOROVOD_CYCLE_TIME, 5 ms before v0.21.0 and 1 ms since, horovod CHANGELOG #2468, and then negotiates and fuses the
    /// tensors ready on every rank); 0 = each bucket is issued as soon as it is ready (PyTorch DDP's autograd hooks).
    /// See <see cref="SyncDataParallel"/>: a ready bucket waits for the next wake-up, half a period on average.
    /// </summary>
    public double SyncCycleSeconds { get; init; }

    /// <summary>Per-parameter passes of the framework each iteration pays besides the layers' kernels (<see cref="PyTorchParameterPasses"/>).</summary>
    public ParameterPassKind ParameterPasses { get; init; } = ParameterPassKind.None;

    /// <summary>Iterations per optimizer step: <see cref="OptimizerBatch"/> over the global batch, 1 when not given.</summary>
    public int IterationsPerOptimizerStep => OptimizerBatch is int b ? b / (Workers * MicroBatch) : 1;
    /// <summary>Local SGD (Stich 2019; Lin et al. 2020): synchronise every H local steps; 1 = every step.</summary>
    public int LocalSteps { get; init; } = 1;
    public StragglerModel Stragglers { get; init; } = StragglerModel.None;
    public FailureModel? Failures { get; init; }
    /// <summary>GPUs per node, for node failure accounting.</summary>
    public int GpusPerNode { get; init; } = 8;

    public void Validate()
    {
        if (Workers < 1) throw new ArgumentException($"training.workers: must be >= 1, got {Workers}");
        if (MicroBatch < 1) throw new ArgumentException($"training.micro_batch: must be >= 1, got {MicroBatch}");
        if (Iterations < 1) throw new ArgumentException($"training.iterations: must be >= 1, got {Iterations}");
        if (BackupWorkers < 0 || BackupWorkers >= Workers) throw new ArgumentException($"training.backup_workers: must be in [0, workers - 1], got {BackupWorkers}");
        if (LocalSteps < 1) throw new ArgumentException($"training.local_steps: must be >= 1, got {LocalSteps}");
        if (!(GradientBytesPerParameter > 0)) throw new ArgumentException($"training.gradient_bytes: must be > 0, got {GradientBytesPerParameter}");
        if (!(CommRetainedSpeed > 0 && CommRetainedSpeed <= 1)) throw new ArgumentException($"training.comm_sms: compute would keep {CommRetainedSpeed} of its speed beside a collective; must lie in (0, 1]");
        if (ParameterPasses != ParameterPassKind.None && LocalSteps > 1) throw new ArgumentException("training.parameter_passes: not simulated with local SGD (local_steps > 1)");
        if (OptimizerBatch is not null && LocalSteps > 1) throw new ArgumentException("training.optimizer_batch: gradient accumulation is not simulated with local SGD (local_steps > 1)");
        if (OptimizerBatch is int ob && (ob < Workers * MicroBatch || ob % (Workers * MicroBatch) != 0))
            throw new ArgumentException($"training.optimizer_batch: must be a multiple of the global batch (workers x micro_batch = {Workers * MicroBatch}), got {ob}");
        if (!(SyncCycleSeconds >= 0) || !double.IsFinite(SyncCycleSeconds)) throw new ArgumentException($"training.sync_cycle_ms: must be a finite time >= 0, got {SyncCycleSeconds * 1e3} ms");
        if (GpusPerNode < 1) throw new ArgumentException($"cluster.gpus_per_node: must be >= 1, got {GpusPerNode}");
        Stragglers.Validate();
        Failures?.Validate();
    }
}
