using Sim.Models.Collectives;
using Sim.Models.Hardware;
using Sim.Models.Memory;
using Sim.Models.Network;
using Sim.Models.Training.Pipeline;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// ZeRO-3 as PyTorch FSDP runs it, one FSDP unit per layer: each layer's compute waits for its own
/// parameters' all-gather, the next layer's gather is issued when a layer starts (one unit of prefetch),
/// each layer's gradients are reduce-scattered when its backward ends, and all of these run one at a time
/// on the process group's one NCCL stream in the order they were issued. Checked against the closed form
/// of the exposed time where the compute hides every collective, and against an independent unit-by-unit
/// oracle elsewhere.
/// </summary>
public sealed class ZeroGatherOracleTests
{
    private static readonly ClusterSpec OneNode = HardwarePresets.Cluster("dgx-a100", 1);
    private const double BlockParameters = 1e6; // PipelineFixtures.UniformBlocks

    private static (double Gather, double ReduceScatter) BlockCollectives(int d, double gatherBytes)
    {
        var topo = ClusterTopology.Build(OneNode);
        double alpha = topo.PathLatency(0, 1), beta = 1 / topo.PathBandwidth(0, 1);
        return (CollectiveCosts.RingAllGather(d, gatherBytes, alpha, beta),
                CollectiveCosts.RingReduceScatter(d, BlockParameters * ModelStateMemory.GradientBytes, alpha, beta));
    }

    [Fact]
    public void When_every_layer_outlasts_its_collectives_only_the_first_gather_and_the_last_reduce_scatter_show()
    {
        const int m = 3, layers = 4, d = 4;
        const double forward = 1e-3, backward = 2e-3;
        var (model, compute) = PipelineFixtures.UniformBlocks(layers, forward, backward, activationBytes: 1e6);
        var config = new PipelineConfig
        {
            Model = model, Stages = 1, Microbatches = m, Schedule = PipelineScheduleKind.GPipe, DataParallel = d,
            Zero = ZeroStage.Parameters, OptimizerSeconds = 0,
        };
        var r = PipelineTraining.Simulate(config, compute, OneNode, backend: NetworkBackend.Analytical);
        var (gather, reduceScatter) = BlockCollectives(d, BlockParameters * ModelStateMemory.ParameterBytes);
        Assert.True(gather < forward && gather + reduceScatter < backward, "the regime this closed form is for");
        // One block's gather before the first layer, one block's reduce-scatter after the last backward.
        double expected = gather + m * layers * (forward + backward) + reduceScatter;
        Assert.Equal(expected, r.Training.IterationTimes[0], 12);
        // The first gather idles the device before its first layer (booked as bubble), the last reduce-scatter after it.
        var split = r.Training.Breakdown;
        Assert.Equal(expected - m * layers * (forward + backward), split.ExposedCommunication + split.Bubble, 12);
    }

    [Theory]
    [InlineData(1e-3, 2e-3, 4, 1.0)]   // layers outlast their collectives
    [InlineData(1e-5, 2e-5, 4, 1.0)]   // layers shorter than a gather: the stream sets the pace
    [InlineData(2e-4, 2e-4, 8, 1.0)]
    [InlineData(1e-3, 2e-3, 4, 0.8)]   // NCCL's channels slow the layers the collectives run beside
    [InlineData(1e-5, 2e-5, 4, 0.5)]
    [InlineData(2e-4, 2e-4, 8, 0.7)]
    public void Per_layer_gathers_and_reduce_scatters_on_one_stream_match_the_unit_oracle(double forward, double backward, int d, double retained)
    {
        const int m = 3, layers = 2;
        var (model, compute) = PipelineFixtures.UniformBlocks(layers, forward, backward, activationBytes: 1e6);
        var config = new PipelineConfig
        {
            Model = model, Stages = 1, Microbatches = m, Schedule = PipelineScheduleKind.GPipe, DataParallel = d,
            Zero = ZeroStage.Parameters, OptimizerSeconds = 0, CommRetainedSpeed = retained,
        };
        var r = PipelineTraining.Simulate(config, compute, OneNode, backend: NetworkBackend.Analytical);
        var (gather, reduceScatter) = BlockCollectives(d, BlockParameters * ModelStateMemory.ParameterBytes);
        // GPipe on one stage: m forwards of both layers, then m backwards of both (in reverse).
        var units = Enumerable.Repeat((forward, false), m * layers).Concat(Enumerable.Repeat((backward, true), m * layers)).ToArray();
        Assert.Equal(UnitOracle(units, gather, reduceScatter, retained), r.Training.IterationTimes[0], 12);
        if (retained < 1)
        {
            var ideal = PipelineTraining.Simulate(config with { CommRetainedSpeed = 1 }, compute, OneNode, backend: NetworkBackend.Analytical);
            Assert.True(r.Training.IterationTimes[0] > ideal.Training.IterationTimes[0]);
        }
    }

    [Fact]
    public void A_reduce_scatter_delays_the_gather_queued_behind_it()
    {
        // Backward layers shorter than a reduce-scatter but longer than a gather: on separate streams the
        // gathers would hide; on FSDP's one stream each waits for the reduce-scatter issued before it.
        const int m = 1, layers = 4, d = 8;
        var (gather, reduceScatter) = BlockCollectives(d, BlockParameters * ModelStateMemory.ParameterBytes);
        double forward = 4 * (gather + reduceScatter), backward = 1.5 * gather;
        var (model, compute) = PipelineFixtures.UniformBlocks(layers, forward, backward, activationBytes: 1e6);
        var config = new PipelineConfig
        {
            Model = model, Stages = 1, Microbatches = m, Schedule = PipelineScheduleKind.GPipe, DataParallel = d,
            Zero = ZeroStage.Parameters, OptimizerSeconds = 0,
        };
        double time = PipelineTraining.Simulate(config, compute, OneNode, backend: NetworkBackend.Analytical).Training.IterationTimes[0];
        // Forward: only the first gather shows. Backward: the first layer's gather was prefetched under the
        // last forward and the second's runs under the first; from the third on, each layer's gather sits
        // behind the reduce-scatter of the layer two before it, so layers start reduceScatter + gather apart;
        // the last layer's reduce-scatter waits for the one before it.
        double expected = gather + layers * forward + backward + (layers - 2) * (reduceScatter + gather) + Math.Max(backward, reduceScatter) + reduceScatter;
        Assert.True(backward < reduceScatter + gather, "the regime this closed form is for");
        Assert.Equal(expected, time, 12);
        Assert.True(time > gather + layers * (forward + backward) + reduceScatter);
    }

    [Fact]
    public void Layers_shorter_than_their_collectives_slow_down_as_the_ring_grows()
    {
        // Tiny layers: the FSDP stream sets the pace, and every gather and reduce-scatter pays its ring's
        // (n - 1) steps; across nodes each step crosses the slower inter-node path. More GPUs, same work per GPU: slower.
        var (model, compute) = PipelineFixtures.UniformBlocks(8, 1e-6, 2e-6, activationBytes: 1e6);
        double Time(int nodes)
        {
            var cluster = HardwarePresets.Cluster("dgx-a100", nodes);
            var config = new PipelineConfig
            {
                Model = model, Stages = 1, Microbatches = 2, DataParallel = 8 * nodes, Zero = ZeroStage.Parameters, OptimizerSeconds = 0,
            };
            return PipelineTraining.Simulate(config, compute, cluster, backend: NetworkBackend.Analytical).Training.IterationTimes[0];
        }
        double one = Time(1), two = Time(2), four = Time(4);
        Assert.True(one < two && two < four, $"{one} < {two} < {four}");
        Assert.True(one > 2 * 8 * 3e-6, "comm-bound: slower than the compute alone");
    }

    [Theory]
    [InlineData(ZeroStage.None, false)]           // overlapped gradient all-reduces per model chunk
    [InlineData(ZeroStage.OptimizerStates, true)] // distributed optimizer: reduce-scatters, then gathers under the next forwards
    [InlineData(ZeroStage.Parameters, false)]     // FSDP units
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

    /// <summary>Independent unit-by-unit oracle. Collectives run one at a time in issue order (a stream
    /// clock); the gather of unit 0 is issued at 0, unit q + 1's when unit q starts, and a backward unit's
    /// reduce-scatter when it ends; unit q starts when unit q - 1 and its own gather are done, and advances
    /// at <paramref name="retained"/> while any collective runs, else at 1.</summary>
    internal static double UnitOracle((double Seconds, bool Backward)[] units, double gather, double reduceScatter, double retained)
    {
        var comm = new List<(double Start, double End)>();
        double streamFree = 0;
        double Issue(double at, double seconds)
        {
            double start = Math.Max(at, streamFree);
            streamFree = start + seconds;
            comm.Add((start, streamFree));
            return streamFree;
        }
        double gathered = Issue(0, gather), end = 0;
        for (int q = 0; q < units.Length; q++)
        {
            double start = Math.Max(end, gathered);
            if (q + 1 < units.Length) gathered = Issue(start, gather);
            double work = units[q].Seconds, now = start;
            while (work > 0)
            {
                bool slowed = comm.Any(c => c.Start <= now && now < c.End);
                double next = comm.SelectMany(c => new[] { c.Start, c.End }).Where(x => x > now).DefaultIfEmpty(double.PositiveInfinity).Min();
                double speed = slowed ? retained : 1;
                if ((next - now) * speed >= work) { now += work / speed; work = 0; }
                else { work -= (next - now) * speed; now = next; }
            }
            end = now;
            if (units[q].Backward) Issue(end, reduceScatter);
        }
        return Math.Max(end, streamFree);
    }
}
