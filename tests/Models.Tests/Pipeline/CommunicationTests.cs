using Sim.Core;
using Sim.Models.Collectives;
using Sim.Models.Hardware;
using Sim.Models.Memory;
using Sim.Models.Network;
using Sim.Models.Training.Pipeline;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// Pipelines that talk over a real network: closed forms for GPipe with point-to-point transfers,
/// tensor-parallel all-reduces and Megatron's scatter/gather; the data-parallel all-reduce overlapped
/// with the tail of the schedule; ZeRO's communication volumes (Rajbhandari et al., Section 7).
/// </summary>
public class CommunicationTests
{
    private const double Tf = 1e-3, Tb = 2e-3, X = 4e6; // per layer; activation bytes

    private static ClusterSpec OneNode => HardwarePresets.Cluster("dgx-a100", 1);

    private static PipelineConfig Config(int p, int m, int t = 1, int d = 1, PipelineScheduleKind kind = PipelineScheduleKind.GPipe,
        bool scatterGather = true, ZeroStage zero = ZeroStage.None) => new()
    {
        Model = PipelineFixtures.UniformBlocks(2 * p, Tf, Tb, X).Model, Stages = p, Microbatches = m, Schedule = kind,
        TensorParallel = t, DataParallel = d, ScatterGather = scatterGather, Zero = zero, OptimizerSeconds = 0,
    };

    private static (double Alpha, double Beta) IntraNode()
    {
        var topo = ClusterTopology.Build(OneNode);
        return (topo.PathLatency(0, 1), 1 / topo.PathBandwidth(0, 1));
    }

    [Theory]
    [InlineData(NetworkBackend.Analytical)]
    [InlineData(NetworkBackend.Flow)]
    public void GPipe_with_point_to_point_transfers_takes_m_plus_p_minus_1_stage_times_plus_2_p_minus_1_hops(NetworkBackend backend)
    {
        const int p = 4, m = 8;
        var (alpha, beta) = IntraNode();
        var compute = PipelineFixtures.UniformBlocks(2 * p, Tf, Tb, X).Compute;
        var r = PipelineTraining.Simulate(Config(p, m), compute, OneNode, backend: backend);
        double hop = alpha + X * beta;
        Assert.Equal((m + p - 1) * 2 * (Tf + Tb) + 2 * (p - 1) * hop, r.Training.IterationTimes[0], 1e-12);
        Assert.True(r.BubbleFraction > (p - 1.0) / m); // communication on the critical path adds to the textbook bubble
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Tensor_parallel_all_reduces_and_scatter_gather_follow_the_ring_closed_forms(bool scatterGather)
    {
        const int p = 4, m = 8, t = 2;
        var (alpha, beta) = IntraNode();
        var compute = PipelineFixtures.UniformBlocks(2 * p, Tf, Tb, X).Compute;
        var r = PipelineTraining.Simulate(Config(p, m, t, scatterGather: scatterGather), compute, OneNode, backend: NetworkBackend.Analytical);
        double allReduce = CollectiveCosts.RingAllReduce(t, X, alpha, beta);
        Assert.Equal(allReduce, r.TensorAllReduceSeconds, 1e-15);
        double forward = 2 * (Tf / t + 2 * allReduce), backward = 2 * (Tb / t + 2 * allReduce); // 2 blocks per stage
        double hop = scatterGather
            ? alpha + X / t * beta + CollectiveCosts.RingAllGather(t, X, alpha, beta)
            : alpha + X * beta;
        Assert.Equal((m + p - 1) * (forward + backward) + 2 * (p - 1) * hop, r.Training.IterationTimes[0], 1e-12);
        // Tensor-parallel time is reported as communication, not compute.
        Assert.Equal(m * 8 * allReduce, r.Stages[0].TensorCommunicationSeconds, 1e-12);
    }

    [Fact]
    public void Data_parallel_all_reduce_of_the_last_stage_to_finish_is_the_only_exposed_one()
    {
        // 1F1B, p = 2: stage 1 finishes its backwards (t_b + hop) before stage 0 and its all-reduce of the
        // same size overlaps; stage 0's starts with its last backward and is fully exposed.
        var compute = PipelineFixtures.UniformBlocks(4, Tf, Tb, X).Compute;
        var (alpha, beta) = IntraNode();
        var single = PipelineTraining.Simulate(Config(2, 4, kind: PipelineScheduleKind.OneFOneB), compute, OneNode, backend: NetworkBackend.Analytical);
        var replicated = PipelineTraining.Simulate(Config(2, 4, d: 2, kind: PipelineScheduleKind.OneFOneB), compute, OneNode, backend: NetworkBackend.Analytical);
        double gradientBytes = 2 * 1e6 * ModelStateMemory.GradientBytes; // 2 blocks of 1M parameters, bf16
        double allReduce = CollectiveCosts.RingAllReduce(2, gradientBytes, alpha, beta);
        Assert.Equal(single.Training.IterationTimes[0] + allReduce, replicated.Training.IterationTimes[0], 1e-12);
        Assert.Equal(2 * single.Training.SamplesPerIteration, replicated.Training.SamplesPerIteration);
        Assert.Equal(allReduce, replicated.Training.Breakdown.ExposedCommunication - single.Training.Breakdown.ExposedCommunication, 1e-12);
    }

    [Fact]
    public void ZeRO_communication_volume_matches_the_paper()
    {
        // Rajbhandari et al., Section 7: P_os and P_os+g move the same volume as data parallel (2 Psi per
        // rank); P_os+g+p moves 1.5x (an extra parameter all-gather). One stage, one micro-batch, d = 2.
        double Sent(ZeroStage zero, int m)
        {
            var sim = new Simulation();
            var net = new AnalyticalNetwork(sim, ClusterTopology.Build(OneNode));
            var cfg = Config(1, m, d: 2, zero: zero);
            PipelineTraining.Run(sim, cfg, PipelineFixtures.UniformBlocks(2, Tf, Tb, X).Compute, net, 8);
            return net.Counters.Sent[0];
        }
        double baseline = Sent(ZeroStage.None, 1);
        Assert.Equal(2 * 1e6 * 2, baseline, 1e-6); // ring all-reduce of n bytes over 2 ranks: each sends n
        Assert.Equal(baseline, Sent(ZeroStage.OptimizerStates, 1), 1e-6);
        Assert.Equal(baseline, Sent(ZeroStage.Gradients, 1), 1e-6);
        Assert.Equal(1.5 * baseline, Sent(ZeroStage.Parameters, 1), 1e-6);
        // Sharded gradients cannot be accumulated: ZeRO-2 reduce-scatters after every micro-batch.
        Assert.Equal((4 + 1) / 2.0 * baseline, Sent(ZeroStage.Gradients, 4), 1e-6);
        Assert.Equal(baseline, Sent(ZeroStage.OptimizerStates, 4), 1e-6);
    }

    [Fact]
    public void Model_FLOPs_utilisation_is_m_over_m_plus_p_minus_1_of_the_per_op_efficiency()
    {
        // Each block does 3 GFLOP (fwd + bwd) in 3 ms on a 100 TFLOP/s device: 1% of peak while busy.
        foreach (var (p, m) in new[] { (4, 8), (8, 32), (2, 3) })
        {
            var (model, compute) = PipelineFixtures.UniformBlocks(2 * p, Tf, Tb, X);
            var r = PipelineTraining.Simulate(Config(p, m, kind: PipelineScheduleKind.OneFOneB) with { Model = model }, compute);
            Assert.Equal(0.01 * m / (m + p - 1.0), r.Training.Mfu, 1e-12);
            var b = r.Training.Breakdown;
            Assert.Equal(r.Training.JobTime, b.Total, 1e-12);
        }
    }

    [Fact]
    public void Same_seed_same_result_bit_for_bit()
    {
        var compute = PipelineFixtures.UniformBlocks(16, Tf, Tb, X).Compute;
        var cfg = Config(4, 8, t: 2, d: 4, kind: PipelineScheduleKind.Interleaved) with { VirtualStages = 2, Zero = ZeroStage.Gradients };
        var cluster = HardwarePresets.Cluster("dgx-a100", 4);
        var a = PipelineTraining.Simulate(cfg, compute, cluster, seed: 7);
        var b = PipelineTraining.Simulate(cfg, compute, cluster, seed: 7);
        Assert.Equal(a.Training.IterationTimes, b.Training.IterationTimes);
        Assert.Equal(a.Training.KernelEvents, b.Training.KernelEvents);
        Assert.Equal(a.Stages.Select(s => s.BubbleSeconds), b.Stages.Select(s => s.BubbleSeconds));
    }

    [Fact]
    public void Bad_configurations_name_the_offending_key()
    {
        var compute = PipelineFixtures.UniformBlocks(8, Tf, Tb, X).Compute;
        var e1 = Assert.Throws<ArgumentException>(() => PipelineTraining.Simulate(Config(4, 6, kind: PipelineScheduleKind.Interleaved) with { VirtualStages = 2 }, compute));
        Assert.Contains("pipeline.microbatches", e1.Message);
        var e2 = Assert.Throws<ArgumentException>(() => PipelineTraining.Simulate(Config(4, 8, t: 3), compute, OneNode));
        Assert.Contains("pipeline.tensor_parallel", e2.Message);
        var e3 = Assert.Throws<ArgumentException>(() => PipelineTraining.Simulate(Config(4, 8, t: 2, d: 2), compute, OneNode));
        Assert.Contains("16 GPUs, but the cluster has 8", e3.Message);
        var e4 = Assert.Throws<ArgumentException>(() => PipelineTraining.Simulate(Config(4, 8, kind: PipelineScheduleKind.OneFOneB) with { VirtualStages = 2 }, compute));
        Assert.Contains("pipeline.virtual_stages", e4.Message);
    }
}
