using Sim.Core;
using Sim.Core.Timeline;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Memory;
using Sim.Models.Network;

namespace Sim.Models.Training.Pipeline;

/// <summary>Which network backend carries the pipeline's transfers and collectives.</summary>
public enum NetworkBackend
{
    /// <summary>Alpha-beta, no contention (<see cref="AnalyticalNetwork"/>).</summary>
    Analytical,
    /// <summary>Max-min fair flows (<see cref="FlowNetwork"/>).</summary>
    Flow,
}

/// <summary>
/// Pipeline, tensor and data parallel ("3D") training in a few lines, like booking a whole trip in one
/// call: <c>PipelineTraining.Simulate(config, compute, cluster)</c> builds the cluster's network, runs the
/// micro-batch schedule event by event (<see cref="PipelineEngine"/>) and returns throughput, MFU, the
/// breakdown with the pipeline bubble, per-stage bubble and memory, and memory warnings.
/// Without a cluster, communication is free: the schedule alone (the textbook bubble).
/// </summary>
public static class PipelineTraining
{
    /// <summary>Simulates on <paramref name="cluster"/> (null: free communication, no memory check
    /// unless <see cref="PipelineConfig.DeviceMemoryBytes"/> is set).</summary>
    public static PipelineResult Simulate(PipelineConfig config, IComputeModel compute, ClusterSpec? cluster = null, ulong seed = 0,
        NetworkBackend backend = NetworkBackend.Flow, TimelineRecorder? timeline = null)
    {
        var sim = new Simulation(seed) { Timeline = timeline };
        INetwork? network = null;
        int gpusPerNode = 1;
        if (cluster is not null)
        {
            var topology = ClusterTopology.Build(cluster);
            network = backend == NetworkBackend.Flow ? new FlowNetwork(sim, topology) : new AnalyticalNetwork(sim, topology);
            gpusPerNode = cluster.Node.DevicesPerNode;
        }
        return Run(sim, config, compute, network, gpusPerNode, config.DeviceMemoryBytes ?? cluster?.Node.Device.MemoryBytes ?? double.NaN);
    }

    /// <summary>Simulates on an existing network (for example one shared with other jobs);
    /// <paramref name="network"/> null means free communication.</summary>
    public static PipelineResult Run(Simulation sim, PipelineConfig config, IComputeModel compute, INetwork? network, int gpusPerNode,
        double deviceMemoryBytes = double.NaN)
    {
        if (network is not null && !ReferenceEquals(network.Simulation, sim))
            throw new ArgumentException("the network belongs to a different simulation");
        var engine = new PipelineEngine(sim, config, compute, network, gpusPerNode);
        engine.Start();
        sim.Run();
        if (!engine.Finished) throw new InvalidOperationException("the pipeline schedule stalled before finishing (a dependency was never satisfied)");
        return BuildResult(sim, config, compute, engine, config.DeviceMemoryBytes ?? deviceMemoryBytes);
    }

    /// <summary>Forward FLOPs redone per sample: every layer under full recomputation, the attention
    /// score and context products (4 s^2 h per block) under selective recomputation.</summary>
    private static double RecomputedFlopsPerSample(PipelineConfig cfg) => cfg.Recompute switch
    {
        Workloads.Recomputation.Full => cfg.Model.ForwardFlopsPerSample,
        Workloads.Recomputation.Selective when cfg.Transformer is { } tc =>
            cfg.Model.Layers.Count(Memory.ActivationFootprint.IsTransformerBlock) * 4.0 * tc.Sequence * tc.Sequence * tc.Hidden,
        _ => 0,
    };

    private static PipelineResult BuildResult(Simulation sim, PipelineConfig cfg, IComputeModel compute, PipelineEngine engine, double capacity)
    {
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
            var (pb, gb, ob) = ModelStateMemory.PerParameter(cfg.Zero, cfg.DataParallel);
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
                    ParameterBytes = parameters * pb,
                    GradientBytes = parameters * gb,
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
        var training = new TrainingResult
        {
            Strategy = $"pipeline {schedule} (p={p}, m={cfg.Microbatches}) x tensor {t}{(cfg.SequenceParallel ? " (sequence parallel)" : "")} x data {cfg.DataParallel}" +
                       (cfg.Zero != ZeroStage.None ? $", ZeRO-{(int)cfg.Zero}" : "") +
                       (cfg.Recompute != Workloads.Recomputation.None ? $", {cfg.Recompute.ToString().ToLowerInvariant()} recompute" : ""),
            Workers = cfg.Gpus,
            IterationTimes = engine.IterationTimes.ToArray(),
            SamplesPerIteration = (double)cfg.Microbatches * cfg.MicroBatch * cfg.DataParallel,
            TokensPerSample = cfg.Model.TokensPerSample,
            FlopsPerSample = cfg.Model.TrainingFlopsPerSample,
            HardwareFlopsPerSample = cfg.Model.TrainingFlopsPerSample + RecomputedFlopsPerSample(cfg),
            PeakFlopsPerGpu = compute.PeakFlops,
            JobTime = engine.JobTime,
            Breakdown = new Breakdown(engine.BreakdownCompute, engine.BreakdownExposed, 0, engine.BreakdownBubble, 0, 0),
            KernelEvents = sim.EventsProcessed,
            Seed = sim.Seed,
        };
        return new PipelineResult { Training = training, Stages = stages, Layout = engine.Layout, TensorAllReduceSeconds = plan.TensorAllReduceSeconds };
    }
}
