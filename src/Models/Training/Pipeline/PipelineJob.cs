using Sim.Core;
using Sim.Models.Compute;
using Sim.Models.Memory;
using Sim.Models.Network;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// Pipeline, tensor and data parallel training as an <see cref="ITrainingJob"/>: the micro-batch schedule
/// run event by event by <see cref="PipelineEngine"/>, and its result with the per-stage bubble and memory
/// (<see cref="PipelineResult()"/>). <paramref name="network"/> null means free communication.
/// </summary>
public sealed class PipelineJob(Simulation simulation, PipelineConfig config, IComputeModel compute, INetwork? network, int gpusPerNode,
    double deviceMemoryBytes = double.NaN) : ITrainingJob
{
    private readonly Simulation _sim = network is not null && !ReferenceEquals(network.Simulation, simulation)
        ? throw new ArgumentException("the network belongs to a different simulation") : simulation;
    private readonly PipelineConfig _cfg = config;
    private readonly IComputeModel _compute = compute;
    private readonly double _deviceMemoryBytes = deviceMemoryBytes;
    private readonly int _gpusPerNode = gpusPerNode;
    private readonly PipelineEngine _engine = new(simulation, config, compute, network, gpusPerNode);

    public void Start() => _engine.Start();

    public bool Finished => _engine.Finished;

    public TrainingResult Result() => PipelineResult().Training;

    /// <summary>The per-stage report (bubble, memory) with the training result; after <see cref="Finished"/>.</summary>
    public PipelineResult PipelineResult()
    {
        if (!Finished) throw new InvalidOperationException("the pipeline has not finished; run the simulation first");
        var sim = _sim; var cfg = _cfg; var compute = _compute; var engine = _engine; double capacity = _cfg.DeviceMemoryBytes ?? _deviceMemoryBytes;
        int p = cfg.Stages, t = cfg.TensorParallel;
        var plan = engine.Plan;
        var stages = new StageReport[p];
        for (int d = 0; d < p; d++)
        {
            var chunks = new List<(int, int)>();
            double workspace = 0;
            for (int c = 0; c < cfg.VirtualStages; c++)
            {
                int vs = c * p + d;
                chunks.Add((plan.Bounds[vs], plan.Bounds[vs + 1]));
                workspace = Math.Max(workspace, plan.RecomputeWorkspace[vs]);
            }
            double parameters = engine.DeviceParameters(d) / t;
            var (pb, gb, ob) = ModelStateMemory.PerParameter(cfg.Zero, cfg.GradientGroup);
            // FP8 training: the FP8 linears' weights have their own working-copy bytes and FP8 copies.
            double fp8Weights = cfg.Fp8 is null ? 0 : engine.DeviceFp8Parameters(d) / t;
            var (fp8Working, fp8Copies) = Fp8WeightMemory.PerParameter(cfg.Zero, cfg.GradientGroup, cfg.Fp8ParamGather);
            stages[d] = new StageReport
            {
                Stage = d,
                Layers = chunks,
                ComputeSeconds = engine.BusyCompute(d),
                TensorCommunicationSeconds = engine.BusyTensor(d),
                BubbleSeconds = engine.Idle(d),
                OptimizerSeconds = engine.OptimizerSeconds(d) * cfg.Iterations,
                Memory = new StageMemory
                {
                    Stage = d,
                    ParameterCount = parameters,
                    ParameterBytes = (parameters - fp8Weights) * pb + fp8Weights * fp8Working,
                    Fp8WeightBytes = fp8Weights * fp8Copies,
                    GradientBytes = parameters * (gb + (cfg.Fp32GradientAccumulation ? Fp32GradientAccumulation.BufferBytesPerParameter : 0)),
                    OptimizerBytes = parameters * ob,
                    ActivationBytes = engine.PeakActivationBytes(d),
                    PeakInFlight = engine.PeakInFlight(d),
                    RecomputeWorkspaceBytes = workspace,
                    CapacityBytes = capacity,
                },
            };
        }
        string schedule = cfg.Schedule switch
        {
            PipelineScheduleKind.GPipe => "GPipe",
            PipelineScheduleKind.OneFOneB => "1F1B",
            _ => $"interleaved 1F1B (v={cfg.VirtualStages})",
        };
        var replay = Replay();
        var training = new TrainingResult
        {
            Strategy = $"pipeline {schedule} (p={p}, m={cfg.Microbatches}) x tensor {t}{(cfg.SequenceParallel ? " (sequence parallel)" : "")}{(cfg.TensorCommOverlap ? cfg.TensorOverlapMethod == TensorOverlapMethod.SymmetricMemory ? " (async TP)" : " (comm overlap)" : "")}" +
                       (cfg.ContextParallel > 1 ? $" x context {cfg.ContextParallel}{(cfg.ContextParallelCommType == ContextParallelCommType.AllGather ? " (all-gather)" : "")}" : "") + $" x data {cfg.DataParallel}" +
                       (cfg.Zero != ZeroStage.None ? $", ZeRO-{(int)cfg.Zero}" : "") +
                       (cfg.Recompute != Workloads.Recomputation.None ? $", {cfg.Recompute.ToString().ToLowerInvariant()} recompute" : ""),
            Workers = cfg.Gpus,
            IterationTimes = replay?.IterationTimes.ToArray() ?? engine.IterationTimes.ToArray(),
            IterationBusyFraction = replay?.BusyFractions.ToArray() ?? Array.Empty<double>(),
            SamplesPerIteration = (double)cfg.Microbatches * cfg.MicroBatch * cfg.DataParallel,
            TokensPerSample = cfg.Model.TokensPerSample,
            FlopsPerSample = cfg.Model.TrainingFlopsPerSample,
            HardwareFlopsPerSample = cfg.Model.TrainingFlopsPerSample + RecomputedFlopsPerSample(cfg),
            PeakFlopsPerGpu = compute.PeakFlops,
            JobTime = replay?.JobTime ?? engine.JobTime,
            Breakdown = replay?.Breakdown ?? new Breakdown(engine.BreakdownCompute, engine.BreakdownExposed, 0, engine.BreakdownBubble, 0, 0),
            Failures = replay?.Failures ?? 0,
            Checkpoints = replay?.Checkpoints ?? 0,
            KernelEvents = sim.EventsProcessed,
            Seed = sim.Seed,
        };
        return new PipelineResult { Training = training, Stages = stages, Layout = engine.Layout, TensorAllReduceSeconds = plan.TensorAllReduceSeconds,
            RingAttention = plan.Ring, TensorOverlap = plan.TensorOverlap,
            ExpertAllToAllSeconds = plan.ExpertAllToAllSeconds, ExpertAllToAllBytesPerGpu = ExpertAllToAll.BytesPerGpu(cfg) / cfg.ContextParallel };
    }

    private FailureReplay? _replay;

    /// <summary>The failure-free iterations replayed through <see cref="PipelineConfig.Failures"/>, once
    /// (from the run seed's "failures" stream); null without failures.</summary>
    private FailureReplay? Replay()
    {
        if (_cfg.Failures is null || _replay is not null) return _replay;
        double total = _engine.IterationTimes.Sum();
        double computeShare = total > 0 ? _engine.BreakdownCompute / total : 1, bubbleShare = total > 0 ? _engine.BreakdownBubble / total : 0;
        return _replay = new FailureReplay(_engine.IterationTimes, computeShare, bubbleShare, _cfg.Failures, _cfg.Gpus, _gpusPerNode,
            new Sim.Core.Randomness.RandomStream(_sim.Seed, "failures"));
    }

    /// <summary>Forward FLOPs redone per sample: every transformer block (every layer of other models)
    /// under full recomputation, the attention
    /// score and context products (4 s^2 h per block) under selective recomputation.</summary>
    private static double RecomputedFlopsPerSample(PipelineConfig cfg) => cfg.Recompute switch
    {
        Workloads.Recomputation.Full when cfg.Transformer is not null =>
            cfg.Model.Layers.Where(Memory.ActivationFootprint.IsTransformerBlock).Sum(l => l.ForwardFlops),
        Workloads.Recomputation.Full => cfg.Model.ForwardFlopsPerSample,
        Workloads.Recomputation.Selective when cfg.Transformer is { } tc =>
            cfg.Model.Layers.Count(Memory.ActivationFootprint.IsTransformerBlock) * 4.0 * tc.Sequence * tc.Sequence * tc.Hidden,
        _ => 0,
    };
}
