using Sim.Models.Collectives;
using Sim.Models.Memory;
using Sim.Models.Workloads;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// A pipeline / tensor / data ("3D") parallel job: how the model is cut (stages, chunks per device),
/// how each stage is split across a tensor group, how many pipeline replicas train in data parallel,
/// the schedule, recomputation and ZeRO sharding. Keys in errors are the scenario file's
/// (<c>pipeline.*</c>, <c>training.*</c>).
/// </summary>
public sealed record PipelineConfig
{
    public required ModelSpec Model { get; init; }
    /// <summary>Transformer hyperparameters, for the exact activation formulas (Korthikanti et al.) and
    /// selective recomputation; optional for other models.</summary>
    public TransformerConfig? Transformer { get; init; }
    /// <summary>p: pipeline stages (devices per pipeline).</summary>
    public required int Stages { get; init; }
    /// <summary>m: micro-batches per iteration per pipeline replica.</summary>
    public required int Microbatches { get; init; }
    public PipelineScheduleKind Schedule { get; init; } = PipelineScheduleKind.OneFOneB;
    /// <summary>v: model chunks per device (interleaved schedule only).</summary>
    public int VirtualStages { get; init; } = 1;
    /// <summary>t: tensor-parallel size (Megatron), inside one node.</summary>
    public int TensorParallel { get; init; } = 1;
    /// <summary>c: context-parallel size (Megatron-Core <c>context_parallel_size</c>): each micro-batch's
    /// sequence split over c GPUs running ring attention (<see cref="ContextParallelism"/>).</summary>
    public int ContextParallel { get; init; } = 1;
    /// <summary>Megatron-Core <c>cp_comm_type</c>: ring (p2p, default) or all-gather of K/V.</summary>
    public ContextParallelCommType ContextParallelCommType { get; init; } = ContextParallelCommType.P2P;
    /// <summary>d: pipeline replicas trained in data parallel.</summary>
    public int DataParallel { get; init; } = 1;
    /// <summary>ep: expert-parallel size (mixture of experts): each group of ep consecutive data-parallel
    /// replicas shares out the experts and exchanges tokens by all-to-all (<see cref="ExpertAllToAll"/>).</summary>
    public int ExpertParallel { get; init; } = 1;
    /// <summary>b: samples per micro-batch.</summary>
    public int MicroBatch { get; init; } = 1;
    public int Iterations { get; init; } = 1;
    public PartitionMethod Partition { get; init; } = PartitionMethod.Balanced;
    /// <summary>Layers per virtual stage for <see cref="PartitionMethod.Explicit"/>.</summary>
    public IReadOnlyList<int>? LayersPerStage { get; init; }
    /// <summary>Sequence parallelism (Korthikanti et al.): all-reduce becomes reduce-scatter + all-gather.</summary>
    public bool SequenceParallel { get; init; }
    /// <summary>Megatron-Core <c>tp_comm_overlap</c>: the sequence-parallel all-gathers and reduce-scatters
    /// pipelined in chunks with the GEMMs they feed (<see cref="TensorCommOverlap"/>); needs sequence parallelism.</summary>
    public bool TensorCommOverlap { get; init; }
    /// <summary>Which implementation pipelines them: TE userbuffers (Megatron, default) or symmetric-memory
    /// async TP (TorchTitan, <c>async_tensor_parallel</c>).</summary>
    public TensorOverlapMethod TensorOverlapMethod { get; init; } = TensorOverlapMethod.UserBuffers;
    /// <summary>Megatron's scatter/gather: each tensor rank sends 1/t of the activation, the receiver all-gathers.</summary>
    public bool ScatterGather { get; init; } = true;
    public Recomputation Recompute { get; init; } = Recomputation.None;
    public ZeroStage Zero { get; init; } = ZeroStage.None;
    /// <summary>ZeRO-3 as PyTorch FSDP 1 (FlatParameter) or 2 (<c>fully_shard</c>) runs it: the copies each
    /// implementation makes around its collectives (<see cref="FsdpCopies"/>); null: none costed.</summary>
    public int? FsdpVersion { get; init; }
    /// <summary>Speed an op keeps while the ZeRO-3 parameter all-gather prefetched beside it runs (NCCL's
    /// channels hold SMs: <see cref="Sim.Models.Compute.CommInterference"/>); 1 (default) = no interference.
    /// Must lie in (0, 1].</summary>
    public double CommRetainedSpeed { get; init; } = 1;
    /// <summary>Megatron <c>overlap_grad_reduce</c>: a chunk's gradient collective starts when its last
    /// backward ends, under the remaining backwards (true); or every chunk's waits for the device's last
    /// backward (false). ZeRO-2/3 reduce-scatter after every backward either way.</summary>
    public bool OverlapGradReduce { get; init; } = true;
    /// <summary>Megatron <c>overlap_param_gather</c> (distributed optimizer / ZeRO-1/2): the updated
    /// parameters' all-gather runs under the next iteration's forwards, chunk by chunk, instead of
    /// ending the iteration; a chunk's first forward waits for its own gather only.</summary>
    public bool OverlapParamGather { get; init; }
    /// <summary>FP8 training recipe of the compute model (<c>compute.precision: fp8</c>), for the FP8 memory
    /// terms and <see cref="Fp8ParamGather"/>; null: BF16 training.</summary>
    public Sim.Models.Compute.Fp8Recipe? Fp8 { get; init; }
    /// <summary>Megatron-Core <c>fp8_param_gather</c>: the FP8 linears' weights are kept in FP8 and the
    /// sharded optimizer's / ZeRO-3's parameter all-gathers move 1 byte per such parameter instead of 2
    /// (<see cref="Sim.Models.Compute.Fp8Recipe.LinearWeightParameters"/>; other parameters stay 2 bytes).
    /// Needs <see cref="Fp8"/>, a transformer and a sharded optimizer (ZeRO 1-3).</summary>
    public bool Fp8ParamGather { get; init; }
    public RankOrder Order { get; init; } = RankOrder.TensorDataPipeline;
    /// <summary>DeepSpeed BF16 optimizer: every backward is followed by adding its bf16 gradients into fp32
    /// buffers (<see cref="Fp32GradientAccumulation"/>), which are all-reduced whole even under ZeRO-1
    /// (each rank then steps its partition and all-gathers the bf16 parameters); ZeRO stage 0 or 1 only.
    /// False: gradients accumulate in place (Megatron).</summary>
    public bool Fp32GradientAccumulation { get; init; }
    /// <summary>Bytes per gradient element on the wire (2: bf16/fp16 gradients).</summary>
    public double GradientBytesPerParameter { get; init; } = ModelStateMemory.GradientBytes;
    /// <summary>Algorithm of the data-parallel gradient collectives.</summary>
    public CollectiveAlgorithm GradientAlgorithm { get; init; } = CollectiveAlgorithm.Ring;
    /// <summary>Optimizer step time; null = memory-bound Adam estimate on this GPU's parameter shard.</summary>
    public double? OptimizerSeconds { get; init; }
    /// <summary>
    /// Put every data-parallel replica's point-to-point transfers on the network, not only replica 0's.
    /// Replicas stay in lockstep: a message counts as arrived when all replicas' copies have, which
    /// bounds the pace from below by the slowest replica's transfer (pessimistic under contention).
    /// </summary>
    public bool AllReplicaTraffic { get; init; }
    /// <summary>Device memory for the fit check; null = the cluster's device memory (none without a cluster).</summary>
    public double? DeviceMemoryBytes { get; init; }
    /// <summary>NCCL's view of one node (<see cref="Collectives.Nccl.NcclSystem.For"/>): when set, the
    /// tensor-parallel all-reduces and gathers inside a node are costed by NCCL's tuning model
    /// (protocol, algorithm, NCCL's link bandwidths) instead of alpha-beta at the links' datasheet rate.</summary>
    public Collectives.Nccl.NcclSystem? TensorGroupNccl { get; init; }
    /// <summary>Crashes, checkpoints and restarts laid over the failure-free iterations by
    /// <see cref="FailureReplay"/> (any GPU failing stops the whole job); null: none.</summary>
    public Faults.FailureModel? Failures { get; init; }

    public int VirtualStageCount => Stages * VirtualStages;

    /// <summary>Megatron-LM's rule for its even split: the transformer layers per pipeline stage must be a
    /// multiple of the virtual pipeline size (num_layers % (pipeline x virtual) == 0), so recipes' VP 5, 7,
    /// 12 fit 80, 126 (with pipeline 9) and 96 (with pipeline 8) layers. Uneven splits need
    /// partition: balanced or layers_per_stage.</summary>
    private void CheckUniformSplit()
    {
        int blocks = Model.Layers.Count(ActivationFootprint.IsTransformerBlock);
        if (blocks == 0 || blocks % VirtualStageCount == 0) return;
        if (VirtualStages > 1)
            throw new ArgumentException($"pipeline.virtual_stages: the uniform (Megatron-LM) split needs the {blocks} transformer layers of '{Model.Name}' per pipeline stage " +
                $"({blocks} / {Stages}) to be a multiple of virtual_stages {VirtualStages}; {blocks} is not a multiple of {Stages} x {VirtualStages} = {VirtualStageCount} (use partition: balanced or layers_per_stage for uneven stages)");
        throw new ArgumentException($"pipeline.partition: uniform needs the {blocks} transformer layers of '{Model.Name}' to divide by {Stages} stages; use balanced or layers_per_stage");
    }
    public int Gpus => Stages * TensorParallel * ContextParallel * DataParallel;
    /// <summary>Ranks that reduce each gradient shard and over which ZeRO shards: d x c.</summary>
    public int GradientGroup => DataParallel * ContextParallel;

    public void Validate()
    {
        PipelineSchedule.Validate(Schedule, Stages, Microbatches, VirtualStages);
        if (TensorParallel < 1) throw new ArgumentException($"pipeline.tensor_parallel: must be >= 1, got {TensorParallel}");
        if (DataParallel < 1) throw new ArgumentException($"pipeline.data_parallel: must be >= 1, got {DataParallel}");
        if (!(CommRetainedSpeed > 0 && CommRetainedSpeed <= 1)) throw new ArgumentException($"training.comm_sms: compute would keep {CommRetainedSpeed} of its speed beside a collective; must lie in (0, 1]");
        ContextParallelism.Validate(ContextParallel, Transformer, Model.Layers);
        if (ExpertParallel < 1) throw new ArgumentException($"pipeline.expert_parallel: must be >= 1, got {ExpertParallel}");
        if (ExpertParallel > 1)
        {
            if (Transformer is not { IsMoe: true } moe)
                throw new ArgumentException($"pipeline.expert_parallel: {ExpertParallel} needs a mixture-of-experts model (model.gpt.experts > 1)");
            if (DataParallel % ExpertParallel != 0)
                throw new ArgumentException($"pipeline.expert_parallel: {ExpertParallel} must divide pipeline.data_parallel ({DataParallel}); experts are sharded over data-parallel replicas");
            if (moe.Experts % ExpertParallel != 0)
                throw new ArgumentException($"pipeline.expert_parallel: {ExpertParallel} must divide the expert count ({moe.Experts})");
        }
        if (MicroBatch < 1) throw new ArgumentException($"training.micro_batch: must be >= 1, got {MicroBatch}");
        if (Iterations < 1) throw new ArgumentException($"training.iterations: must be >= 1, got {Iterations}");
        if (!(GradientBytesPerParameter > 0)) throw new ArgumentException($"training.gradient_bytes: must be > 0, got {GradientBytesPerParameter}");
        if (FsdpVersion is { } fsdp && (fsdp is not (1 or 2) || Zero != ZeroStage.Parameters))
            throw new ArgumentException($"pipeline.fsdp_version: PyTorch FSDP 1 or 2 with zero_stage 3 (FSDP FULL_SHARD), got fsdp_version {fsdp} with zero_stage {(int)Zero}");
        if (Fp32GradientAccumulation && Zero is ZeroStage.Gradients or ZeroStage.Parameters)
            throw new ArgumentException($"pipeline.fp32_gradient_accumulation: DeepSpeed's BF16 optimizer runs with ZeRO stage 0 or 1 only (its pipeline engine: \"PP+BF16 only work for ZeRO Stage 1\"), got zero_stage {(int)Zero}");
        if (OverlapParamGather && Zero is not (ZeroStage.OptimizerStates or ZeroStage.Gradients))
            throw new ArgumentException("pipeline.overlap_param_gather: needs pipeline.use_distributed_optimizer (or zero_stage 1 or 2): only a sharded optimizer all-gathers the updated parameters");
        if (Fp8ParamGather)
        {
            if (Fp8 is null) throw new ArgumentException("pipeline.fp8_param_gather: needs compute.precision: fp8 (FP8 weights exist only under FP8 training)");
            if (Zero == ZeroStage.None) throw new ArgumentException("pipeline.fp8_param_gather: needs pipeline.use_distributed_optimizer or zero_stage 1-3: only sharded parameters are all-gathered");
            if (Transformer is null) throw new ArgumentException("pipeline.fp8_param_gather: needs a transformer model from the zoo (its FP8 linear layers are known from the hyperparameters)");
        }
        if (Partition == PartitionMethod.Uniform) CheckUniformSplit();
        if (TensorCommOverlap && !SequenceParallel)
            throw new ArgumentException($"pipeline.{(TensorOverlapMethod == TensorOverlapMethod.SymmetricMemory ? "async_tensor_parallel" : "tp_comm_overlap")}: needs pipeline.sequence_parallel (Megatron-Core overlaps the sequence-parallel all-gathers and reduce-scatters) and tensor_parallel > 1");
        if (SequenceParallel && TensorParallel == 1) throw new ArgumentException("pipeline.sequence_parallel: needs pipeline.tensor_parallel > 1");
        if (OptimizerSeconds is < 0) throw new ArgumentException($"training.optimizer_seconds: must be >= 0, got {OptimizerSeconds}");
        if (DeviceMemoryBytes is <= 0) throw new ArgumentException($"cluster.device_memory: must be > 0, got {DeviceMemoryBytes}");
        if (Recompute == Recomputation.Selective && Transformer is null)
            throw new ArgumentException("pipeline.recompute: selective recomputation needs the transformer hyperparameters (model from the zoo)");
        if (Model.Layers.Count < VirtualStageCount)
            throw new ArgumentException($"pipeline: model '{Model.Name}' has {Model.Layers.Count} layers, fewer than stages x virtual_stages = {VirtualStageCount}");
    }
}
