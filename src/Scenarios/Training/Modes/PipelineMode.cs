using Sim.Core;
using Sim.Models.Network;
using Sim.Models.Training;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;
using Sim.Reports;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Training.Modes;

/// <summary>
/// <c>pipeline</c>: pipeline, tensor and data parallel ("3D") training (<see cref="PipelineJob"/>): GPipe,
/// 1F1B or interleaved schedules, ZeRO, recomputation, per-stage bubble and memory. Stage-to-stage sends
/// are transfers, so it needs a backend that simulates them. Failures stop the whole job and restart it from
/// the last checkpoint (<see cref="FailureReplay"/>); stragglers are not modelled.
/// </summary>
[TrainingMode(40)]
public sealed class PipelineMode : ITrainingMode
{
    public string Name => "pipeline";
    public string Description => "pipeline x tensor x data parallel (GPipe, 1F1B, interleaved; ZeRO, recomputation)";
    public ModeSection? Section => new("pipeline", TrainingScenarioSchema.Pipeline, "Pipeline, tensor and 3D parallel settings (training.mode: pipeline).");
    public bool SimulatesFailures => true;
    public bool SimulatesStragglers => false;
    public bool NeedsTransfers => true;

    public TrainingScenario Configure(TrainingScenario draft, ScenarioSection root, List<ScenarioError> errors)
    {
        if (!root.Has("pipeline"))
        {
            errors.Add(root.ErrorAt("training.mode", "mode pipeline needs a pipeline: section (stages, microbatches, ...)"));
            return draft;
        }
        var p = root.GetSection("pipeline");
        var modelSection = root.GetSection("model");
        int bytesPerElement = TrainingScenario.BytesPerElement(draft.Precision);
        var transformer = modelSection.Has("zoo")
            ? ModelZoo.TransformerConfigFor(modelSection.GetString("zoo"), new ZooOptions { BytesPerElement = bytesPerElement, SequenceLength = modelSection.Has("sequence_length") ? modelSection.GetInt("sequence_length") : null })
            : draft.GptConfig;
        var schedule = p.GetString("schedule") switch
        {
            "gpipe" => PipelineScheduleKind.GPipe,
            "interleaved" => PipelineScheduleKind.Interleaved,
            _ => PipelineScheduleKind.OneFOneB,
        };
        var dp = draft.DataParallel;
        int? microbatches = BatchRules.Microbatches(p, dp.MicroBatch, errors);
        if (microbatches is null) return draft with { Workers = 1 };
        if (p.GetBool("tp_comm_overlap") && p.GetBool("async_tensor_parallel"))
        {
            errors.Add(p.ErrorAt("async_tensor_parallel", "is TorchTitan's TP overlap and tp_comm_overlap is Megatron's; a run uses one of them: keep one"));
            return draft with { Workers = 1 };
        }
        if (p.GetBool("use_distributed_optimizer") && p.Has("zero_stage") && p.GetInt("zero_stage") != 1)
        {
            errors.Add(p.ErrorAt("use_distributed_optimizer", $"the distributed optimizer is ZeRO-1 (sharded optimizer state); zero_stage {p.GetInt("zero_stage")} is also given: keep one"));
            return draft with { Workers = 1 };
        }
        var config = new PipelineConfig
        {
            Model = draft.Model,
            Transformer = transformer,
            // Tensor-parallel collectives inside a node as NCCL runs them, where NCCL's model covers the GPU.
            TensorGroupNccl = draft.Cluster.Node.Device is { IsGpu: true, ComputeCapability: >= 70 } ? Sim.Models.Collectives.Nccl.NcclSystem.For(draft.Cluster.Node, 1) : null,
            Stages = p.GetInt("stages"),
            Microbatches = microbatches.Value,
            Schedule = schedule,
            VirtualStages = schedule == PipelineScheduleKind.Interleaved ? p.GetInt("virtual_stages") : 1,
            TensorParallel = p.GetInt("tensor_parallel"),
            DataParallel = p.GetInt("data_parallel"),
            ContextParallel = p.GetInt("context_parallel"),
            ContextParallelCommType = p.GetString("cp_comm_type") switch
            {
                "all_gather" => ContextParallelCommType.AllGather,
                "torch_allgather" => ContextParallelCommType.TorchAllGather,
                _ => ContextParallelCommType.P2P,
            },
            MicroBatch = dp.MicroBatch,
            Iterations = dp.Iterations,
            Partition = p.Has("layers_per_stage") ? PartitionMethod.Explicit
                : p.GetString("partition") == "uniform" ? PartitionMethod.Uniform : PartitionMethod.Balanced,
            LayersPerStage = p.Has("layers_per_stage") ? p.GetList<long>("layers_per_stage").Select(x => (int)x).ToArray() : null,
            SequenceParallel = p.GetBool("sequence_parallel"),
            TensorCommOverlap = p.GetBool("tp_comm_overlap") || p.GetBool("async_tensor_parallel"),
            TensorOverlapMethod = p.GetBool("async_tensor_parallel") ? TensorOverlapMethod.SymmetricMemory : TensorOverlapMethod.UserBuffers,
            ExpertParallel = p.GetInt("expert_parallel"),
            ScatterGather = p.GetBool("scatter_gather"),
            Fp32GradientAccumulation = p.GetBool("fp32_gradient_accumulation"),
            Recompute = Enum.Parse<Recomputation>(p.GetString("recompute"), ignoreCase: true),
            Zero = p.GetBool("use_distributed_optimizer") ? Sim.Models.Memory.ZeroStage.OptimizerStates : (Sim.Models.Memory.ZeroStage)p.GetInt("zero_stage"),
            FsdpVersion = p.Has("fsdp_version") ? p.GetInt("fsdp_version") : null,
            CommRetainedSpeed = dp.CommRetainedSpeed,
            OverlapGradReduce = p.GetBool("overlap_grad_reduce"),
            OverlapParamGather = p.GetBool("overlap_param_gather"),
            Fp8 = draft.Precision == Sim.Models.Hardware.Precision.Fp8 ? (draft.Compute as Sim.Models.Compute.KernelCompute)?.Fp8 ?? Sim.Models.Compute.Fp8Recipe.Delayed : null,
            Fp8ParamGather = p.GetBool("fp8_param_gather"),
            Order = p.GetString("rank_order") == "tensor_pipeline_data" ? RankOrder.TensorPipelineData : RankOrder.TensorDataPipeline,
            GradientBytesPerParameter = dp.GradientBytesPerParameter,
            OptimizerSeconds = dp.OptimizerSeconds,
            AllReplicaTraffic = p.GetBool("all_replica_traffic"),
            Failures = dp.Failures,
        };
        var cluster = draft.Cluster;
        // In 64 bits: the product of three int keys can overflow an int (config.Gpus is an int).
        long gpus = (long)config.TensorParallel * config.ContextParallel * config.Stages * config.DataParallel;
        if (gpus > cluster.DeviceCount)
        {
            string product = config.ContextParallel > 1
                ? $"tensor_parallel x context_parallel x stages x data_parallel = {config.TensorParallel} x {config.ContextParallel} x {config.Stages} x {config.DataParallel}"
                : $"tensor_parallel x stages x data_parallel = {config.TensorParallel} x {config.Stages} x {config.DataParallel}";
            errors.Add(p.ErrorAt("stages", $"{product} = {gpus} GPUs, but the cluster has {cluster.DeviceCount}"));
            return draft with { Pipeline = config, Workers = 1 };
        }
        config = config with { Failures = JobFailures(config, root, cluster.Node.DevicesPerNode) };
        try { config.Validate(); }
        catch (ArgumentException e) { errors.Add(LocatedConfigError(p, e.Message)); }
        return draft with { Pipeline = config, Workers = config.Gpus };
    }

    /// <summary>The scenario's failures for the GPUs the 3D layout uses (t x c x p x d, which may be fewer
    /// than the cluster's): Young's default checkpoint interval is taken at this job's MTBF, not the
    /// whole cluster's. An explicit failures.checkpoint_interval_s is kept as given.</summary>
    private static Sim.Models.Faults.FailureModel? JobFailures(PipelineConfig config, ScenarioSection root, int gpusPerNode)
    {
        if (config.Failures is not { } f || root.GetSection("failures").Has("checkpoint_interval_s")) return config.Failures;
        int nodes = (config.Gpus + gpusPerNode - 1) / gpusPerNode;
        double interval = Sim.Models.Faults.FailureModel.YoungInterval(f.CheckpointSeconds, f.SystemMtbf(config.Gpus, nodes));
        return interval > 0 ? f with { CheckpointIntervalSeconds = interval } : f;
    }

    /// <summary>Keys whose configuration errors are reported at themselves; others at pipeline.stages.</summary>
    private static readonly string[] OwnKeys = ["expert_parallel", "context_parallel", "tp_comm_overlap", "async_tensor_parallel", "overlap_param_gather", "fp8_param_gather", "fsdp_version", "virtual_stages", "partition"];

    /// <summary>A configuration error located at the key it starts with ("pipeline.KEY: ..."), without
    /// repeating the key; errors naming no key of the section stay at pipeline.stages as before.</summary>
    private static ScenarioError LocatedConfigError(ScenarioSection p, string message)
    {
        foreach (var key in OwnKeys)
        {
            string prefix = $"pipeline.{key}: ";
            if (message.StartsWith(prefix, StringComparison.Ordinal) && p.Has(key)) return p.ErrorAt(key, message[prefix.Length..]);
        }
        return p.ErrorAt("stages", message);
    }

    public ModeRun Build(TrainingScenario s, Simulation simulation)
    {
        var topology = ClusterTopology.Build(s.Cluster);
        var network = s.Backend.CreateNetwork(simulation, topology)
            ?? throw new InvalidOperationException($"backend {s.Backend.Name} simulates no transfers; the scenario reader should have refused it for {Name}");
        var job = new PipelineJob(simulation, s.Pipeline!, s.Compute, network, s.Cluster.Node.DevicesPerNode, s.Cluster.Node.Device.MemoryBytes);
        return new ModeRun(job, network) { Details = () => [StageTable(job.PipelineResult())] };
    }

    public TrainingResult? SingleGpuBaseline(TrainingScenario scenario) => null;

    /// <summary>Forward and backward per slice (micro-batch x stage x virtual stage), each with a send and a
    /// receive, for every simulated replica, plus the data-parallel all-reduce; under ZeRO-3 every layer's
    /// two gathers and one reduce-scatter per micro-batch (FSDP units), one per tensor rank, each about as
    /// many events as that all-reduce.</summary>
    public (double Events, string Driver) EstimateIteration(TrainingScenario scenario, double buckets)
    {
        var p = scenario.Pipeline!;
        double slices = (double)p.Microbatches * p.Stages * p.VirtualStages;
        double replicas = p.AllReplicaTraffic ? p.DataParallel : 1;
        double units = p.Zero == Sim.Models.Memory.ZeroStage.Parameters && p.GradientGroup > 1
            ? 3.0 * p.Microbatches * p.Model.Layers.Count * p.TensorParallel * 4 * (1 + p.GradientGroup)
            : 0;
        return (6 * slices * replicas + 4 * p.Stages * (1 + p.DataParallel) + units,
            $"{scenario.DataParallel.Iterations:N0} iterations x {p.Microbatches:N0} micro-batches x {p.Stages:N0} stages");
    }

    private static ReportTable StageTable(PipelineResult result)
    {
        var rows = result.Stages.Select(st => (IReadOnlyList<object?>)new object?[]
        {
            st.Stage, string.Join(" ", st.Layers.Select(l => $"{l.First}-{l.End - 1}")), st.ComputeSeconds, st.TensorCommunicationSeconds, st.BubbleSeconds, st.BubbleFraction,
            st.Memory.ParameterBytes / 1e9, st.Memory.Fp8WeightBytes / 1e9, st.Memory.GradientBytes / 1e9, st.Memory.OptimizerBytes / 1e9, st.Memory.ActivationBytes / 1e9, st.Memory.TotalBytes / 1e9,
            st.Memory.PeakInFlight, st.Memory.Fits ? "yes" : "NO",
        }).ToList();
        return new ReportTable("Pipeline stages (per GPU)",
            ["stage", "layers", "compute_s", "tensor_comm_s", "bubble_s", "bubble_fraction", "params_GB", "fp8_weights_GB", "grads_GB", "optimizer_GB", "activations_GB", "total_GB", "in_flight", "fits"], rows);
    }
}
