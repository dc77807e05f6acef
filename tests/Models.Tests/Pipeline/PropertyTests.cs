using Sim.Core;
using Sim.Models.Hardware;
using Sim.Models.Memory;
using Sim.Models.Network;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// Properties over every combination of schedule, ZeRO stage and recomputation on a 4-node flow network:
/// the run completes, bytes sent equal bytes received, the breakdown adds up to the job time, and
/// communication never makes an iteration faster than the same schedule with free communication.
/// Also: the timeline carries the point-to-point and data-parallel lanes.
/// </summary>
public class PropertyTests
{
    public static TheoryData<PipelineScheduleKind, ZeroStage, Recomputation> Combinations()
    {
        var data = new TheoryData<PipelineScheduleKind, ZeroStage, Recomputation>();
        foreach (var k in Enum.GetValues<PipelineScheduleKind>())
            foreach (var z in Enum.GetValues<ZeroStage>())
                foreach (var r in new[] { Recomputation.None, Recomputation.Full })
                    data.Add(k, z, r);
        return data;
    }

    [Theory]
    [MemberData(nameof(Combinations))]
    public void Every_combination_completes_conserves_bytes_and_is_no_faster_than_free_communication(PipelineScheduleKind kind, ZeroStage zero, Recomputation recompute)
    {
        var (model, compute) = PipelineFixtures.UniformBlocks(16, activationBytes: 8e6);
        var cfg = new PipelineConfig
        {
            Model = model, Stages = 4, Microbatches = 8, Schedule = kind, VirtualStages = kind == PipelineScheduleKind.Interleaved ? 2 : 1,
            TensorParallel = 2, DataParallel = 4, Zero = zero, Recompute = recompute, OptimizerSeconds = 1e-4,
        };
        var sim = new Simulation(3);
        var net = new FlowNetwork(sim, ClusterTopology.Build(HardwarePresets.Cluster("dgx-a100", 4)));
        var r = PipelineTraining.Run(sim, cfg, compute, net, 8, 80e9);
        var free = PipelineTraining.Simulate(cfg, compute);

        Assert.Equal(net.Counters.TransfersStarted, net.Counters.TransfersCompleted);
        double sent = 0, received = 0;
        foreach (var x in net.Counters.Sent) sent += x;
        foreach (var x in net.Counters.Received) received += x;
        Assert.Equal(sent, received, 1e-6 * sent);
        Assert.True(sent > 0);
        Assert.Equal(r.Training.JobTime, r.Training.Breakdown.Total, 1e-9);
        Assert.True(r.Training.IterationTimes[0] >= free.Training.IterationTimes[0] - 1e-12);
        Assert.True(r.Stages.All(s => s.BubbleFraction >= 0 && s.Memory.PeakInFlight == PipelineSchedule.PeakInFlight(kind, 4, 8, cfg.VirtualStages, s.Stage)));
    }

    [Fact]
    public void Timeline_has_compute_point_to_point_and_data_parallel_lanes()
    {
        var (model, compute) = PipelineFixtures.UniformBlocks(4);
        var cfg = new PipelineConfig { Model = model, Stages = 2, Microbatches = 4, DataParallel = 2 };
        Assert.Contains("training.optimizer_seconds", Assert.Throws<ArgumentException>(() => PipelineTraining.Simulate(cfg, compute)).Message);
        cfg = cfg with { OptimizerSeconds = 1e-3 };
        string json = PipelineExamples.ChromeTrace(cfg, compute, HardwarePresets.Cluster("dgx-a100", 1));
        foreach (var expected in new[] { "\"p2p receive\"", "\"data-parallel sync\"", "\"act m3\"", "\"grad m0\"", "\"grad all-reduce\"", "\"F m0\"", "\"B m3\"", "\"optimizer\"" })
            Assert.Contains(expected, json);
    }
}

public class AllReplicaTrafficTests
{
    [Fact]
    public void All_replicas_traffic_multiplies_p2p_bytes_by_d_and_never_speeds_up()
    {
        var (model, compute) = PipelineFixtures.UniformBlocks(8, activationBytes: 64e6);
        var cfg = new PipelineConfig { Model = model, Stages = 4, Microbatches = 8, TensorParallel = 2, DataParallel = 4, OptimizerSeconds = 0 };
        var cluster = HardwarePresets.Cluster("dgx-a100", 4, new FabricSpec { Kind = FabricKind.RailOptimized, LeafDownPorts = 1, UplinksPerLeaf = 1, Oversubscription = 4 });
        (double Iteration, double Sent) Run(PipelineConfig c, NetworkBackend backend)
        {
            var sim = new Simulation();
            var topo = ClusterTopology.Build(cluster);
            INetwork net = backend == NetworkBackend.Flow ? new FlowNetwork(sim, topo) : new AnalyticalNetwork(sim, topo);
            var r = PipelineTraining.Run(sim, c, compute, net, 8);
            double sent = 0;
            foreach (var x in net.Counters.Sent) sent += x;
            return (r.Training.IterationTimes[0], sent);
        }
        var oneAnalytical = Run(cfg, NetworkBackend.Analytical);
        var allAnalytical = Run(cfg with { AllReplicaTraffic = true }, NetworkBackend.Analytical);
        // Gradient volume is the same; p2p volume: 2 directions x (p - 1) boundaries x m x activation, times d.
        double p2p = 2 * 3 * 8 * 64e6;
        Assert.Equal(oneAnalytical.Sent + 3 * p2p, allAnalytical.Sent, 1e-6 * allAnalytical.Sent);
        // Without contention the replicas' copies arrive together: identical timing.
        Assert.Equal(oneAnalytical.Iteration, allAnalytical.Iteration, 1e-12);
        var oneFlow = Run(cfg, NetworkBackend.Flow);
        var allFlow = Run(cfg with { AllReplicaTraffic = true }, NetworkBackend.Flow);
        Assert.True(allFlow.Iteration >= oneFlow.Iteration - 1e-12);
        Assert.True(oneFlow.Iteration >= oneAnalytical.Iteration - 1e-12);
    }
}
