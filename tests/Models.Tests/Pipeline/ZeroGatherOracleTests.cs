using Sim.Models.Collectives;
using Sim.Models.Hardware;
using Sim.Models.Memory;
using Sim.Models.Network;
using Sim.Models.Training.Pipeline;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// ZeRO-3 parameter all-gathers with one op of prefetch (the next op's gather is issued when an op
/// starts, like FSDP's forward/backward prefetch of one unit) against the closed form of the exposed
/// gather time: the first gather is fully exposed, each later one is exposed by what it lasts beyond the
/// op it overlaps, and the last gradient reduce-scatter trails the last backward.
/// </summary>
public sealed class ZeroGatherOracleTests
{
    private static readonly ClusterSpec OneNode = HardwarePresets.Cluster("dgx-a100", 1);

    [Theory]
    [InlineData(1e-3, 2e-3, 4)]     // ops longer than a gather: only the first gather is exposed
    [InlineData(1e-5, 2e-5, 4)]     // ops shorter than a gather: every gather shows through
    [InlineData(2e-4, 2e-4, 8)]
    public void Exposed_gather_time_matches_the_closed_form(double forward, double backward, int d)
    {
        const int m = 3;
        var (model, compute) = PipelineFixtures.UniformBlocks(2, forward, backward, activationBytes: 1e6);
        var config = new PipelineConfig
        {
            Model = model, Stages = 1, Microbatches = m, Schedule = PipelineScheduleKind.GPipe, DataParallel = d,
            Zero = ZeroStage.Parameters, OptimizerSeconds = 0,
        };
        var r = PipelineTraining.Simulate(config, compute, OneNode, backend: NetworkBackend.Analytical);

        var topo = ClusterTopology.Build(OneNode);
        double alpha = topo.PathLatency(0, 1), beta = 1 / topo.PathBandwidth(0, 1);
        double parameters = 2 * 1e6; // two blocks of 1M parameters
        double gather = CollectiveCosts.RingAllGather(d, parameters * ModelStateMemory.ParameterBytes, alpha, beta);
        double reduceScatter = CollectiveCosts.RingReduceScatter(d, parameters * ModelStateMemory.GradientBytes, alpha, beta);
        // GPipe on one stage: m forwards then m backwards, each of the whole model.
        var ops = Enumerable.Repeat(2 * forward, m).Concat(Enumerable.Repeat(2 * backward, m)).ToArray();
        double expected = gather + ops.Sum() + ops.Take(ops.Length - 1).Sum(op => Math.Max(0, gather - op)) + reduceScatter;
        Assert.Equal(expected, r.Training.IterationTimes[0], 12);
        // The same chain is the generic one-ahead prefetch closed form (no interference here).
        var gathers = Enumerable.Repeat(gather, ops.Length).ToArray();
        Assert.Equal(expected, Sim.Models.Compute.CommOverlap.PrefetchedSpan(ops, gathers) + reduceScatter, 12);
    }

    [Theory]
    [InlineData(1e-3, 2e-3, 4, 0.8)]   // ops outlast the gathers: each op stretched by (1 - r) x gather
    [InlineData(1e-5, 2e-5, 4, 0.5)]   // gathers outlast the slowed ops: the gathers set the pace
    [InlineData(2e-4, 2e-4, 8, 0.7)]
    public void Gathers_that_slow_the_ops_they_overlap_match_the_prefetch_closed_form(double forward, double backward, int d, double r)
    {
        const int m = 3;
        var (model, compute) = PipelineFixtures.UniformBlocks(2, forward, backward, activationBytes: 1e6);
        var config = new PipelineConfig
        {
            Model = model, Stages = 1, Microbatches = m, Schedule = PipelineScheduleKind.GPipe, DataParallel = d,
            Zero = ZeroStage.Parameters, OptimizerSeconds = 0, CommRetainedSpeed = r,
        };
        var slowed = PipelineTraining.Simulate(config, compute, OneNode, backend: NetworkBackend.Analytical);
        var ideal = PipelineTraining.Simulate(config with { CommRetainedSpeed = 1 }, compute, OneNode, backend: NetworkBackend.Analytical);

        var topo = ClusterTopology.Build(OneNode);
        double alpha = topo.PathLatency(0, 1), beta = 1 / topo.PathBandwidth(0, 1);
        double parameters = 2 * 1e6;
        double gather = CollectiveCosts.RingAllGather(d, parameters * ModelStateMemory.ParameterBytes, alpha, beta);
        double reduceScatter = CollectiveCosts.RingReduceScatter(d, parameters * ModelStateMemory.GradientBytes, alpha, beta);
        var ops = Enumerable.Repeat(2 * forward, m).Concat(Enumerable.Repeat(2 * backward, m)).ToArray();
        var gathers = Enumerable.Repeat(gather, ops.Length).ToArray();
        // Op i runs beside gather i + 1: max(g, op + (1 - r) g) each; the last op runs alone.
        double expected = Sim.Models.Compute.CommOverlap.PrefetchedSpan(ops, gathers, r) + reduceScatter;
        Assert.Equal(expected, slowed.Training.IterationTimes[0], 12);
        Assert.True(slowed.Training.IterationTimes[0] > ideal.Training.IterationTimes[0]);
    }
}
