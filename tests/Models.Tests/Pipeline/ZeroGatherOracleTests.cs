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
        // Without interference, op i runs beside gather i + 1: the prefetch closed form, the last
        // reduce-scatter exposed.
        Assert.Equal(Sim.Models.Compute.CommOverlap.PrefetchedSpan(ops, gathers) + reduceScatter, ideal.Training.IterationTimes[0], 12);
        // With it, every op runs at r while any collective is in flight: the next op's gather and, in
        // backward, the previous backward's gradient reduce-scatter.
        Assert.Equal(Piecewise(ops, m, gather, reduceScatter, r), slowed.Training.IterationTimes[0], 12);
        Assert.True(slowed.Training.IterationTimes[0] > ideal.Training.IterationTimes[0]);
        // With only gathers to overlap (r applied to them alone) the closed form is a lower bound.
        Assert.True(slowed.Training.IterationTimes[0] >= Sim.Models.Compute.CommOverlap.PrefetchedSpan(ops, gathers, r) + reduceScatter - 1e-15);
    }

    [Theory]
    [InlineData(ZeroStage.None, false)]           // overlapped gradient all-reduces per model chunk
    [InlineData(ZeroStage.OptimizerStates, true)] // distributed optimizer: reduce-scatters, then gathers under the next forwards
    public void Every_overlapped_data_parallel_collective_slows_the_ops_beside_it(ZeroStage zero, bool overlapParamGather)
    {
        var (model, compute) = PipelineFixtures.UniformBlocks(8, 1e-4, 2e-4, activationBytes: 1e6);
        var config = new PipelineConfig
        {
            Model = model, Stages = 2, Microbatches = 4, Schedule = PipelineScheduleKind.Interleaved, VirtualStages = 2, DataParallel = 4,
            Zero = zero, OverlapParamGather = overlapParamGather, OptimizerSeconds = 0, Iterations = 2,
        };
        double Time(double r) => PipelineTraining.Simulate(config with { CommRetainedSpeed = r }, compute, OneNode, backend: NetworkBackend.Analytical).Training.IterationTimes[1];
        double full = Time(1), some = Time(0.8), half = Time(0.5);
        // Monotone in the speed kept, and never more than all compute stretched by 1 / r.
        Assert.True(full <= some && some <= half && full < half, $"{full} <= {some} <= {half}");
        Assert.True(half <= full / 0.5 + 1e-12);
        Assert.Equal(half, Time(0.5)); // deterministic
    }

    /// <summary>Independent piecewise oracle: op i + 1's gather starts with op i (gather 0 alone, before
    /// op 0); op i + 1 starts when op i and its gather are done; each backward's reduce-scatter starts at
    /// its end; an op advances at r while any of these intervals covers the instant, else at 1.</summary>
    private static double Piecewise(double[] ops, int forwards, double gather, double reduceScatter, double r)
    {
        var comm = new List<(double Start, double End)>();
        double start = gather, end = 0;
        for (int i = 0; i < ops.Length; i++)
        {
            if (i + 1 < ops.Length) comm.Add((start, start + gather));
            double work = ops[i], now = start;
            while (work > 0)
            {
                bool slowed = comm.Any(c => c.Start <= now && now < c.End);
                double next = comm.SelectMany(c => new[] { c.Start, c.End }).Where(x => x > now).DefaultIfEmpty(double.PositiveInfinity).Min();
                double speed = slowed ? r : 1;
                if ((next - now) * speed >= work) { now += work / speed; work = 0; }
                else { work -= (next - now) * speed; now = next; }
            }
            if (i >= forwards) comm.Add((now, now + reduceScatter));
            end = now;
            start = i + 1 < ops.Length ? Math.Max(now, start + gather) : now;
        }
        return Math.Max(end, comm.Max(c => c.End));
    }
}
