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
        var job = new PipelineJob(sim, config, compute, network, gpusPerNode, deviceMemoryBytes);
        TrainingJob.RunToEnd(sim, job);
        return job.PipelineResult();
    }
}
