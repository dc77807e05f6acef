using Sim.Models.Hardware;
using Sim.Models.Memory;
using Sim.Models.Training.Pipeline;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// Megatron's distributed optimizer (ZeRO-1 over data x context ranks) and its overlap switches:
/// parameter all-gathers under the next iteration (overlap_param_gather), gradient reductions per chunk
/// under the remaining backwards or all after the last backward (overlap_grad_reduce), and the uniform
/// split's virtual-pipeline rule.
/// </summary>
public sealed class DistributedOptimizerTests
{
    private static readonly ClusterSpec TwoNodes = HardwarePresets.Cluster("dgx-a100", 2);

    /// <summary>One stage, one GPU per replica, two replicas on two nodes: hand-made 1 ms / 2 ms blocks.</summary>
    private static PipelineConfig OneStage(int iterations, bool overlapParamGather) => new()
    {
        Model = PipelineFixtures.UniformBlocks(4).Model, Stages = 1, Microbatches = 4, DataParallel = 2, Iterations = iterations,
        Zero = ZeroStage.OptimizerStates, OverlapParamGather = overlapParamGather, OptimizerSeconds = 0, Order = RankOrder.TensorPipelineData,
    };

    [Fact]
    public void Overlapped_parameter_gather_moves_each_iterations_gather_under_the_next_one()
    {
        var compute = PipelineFixtures.UniformBlocks(4).Compute;
        double Job(int iterations, bool overlap) =>
            PipelineTraining.Simulate(OneStage(iterations, overlap), compute, TwoNodes, backend: NetworkBackend.Analytical).Training.JobTime;
        // Unoverlapped: every iteration is compute C + reduce-scatter RS + all-gather AG.
        double t1 = Job(1, false), t2 = Job(2, false);
        Assert.Equal(2 * t1, t2, 12);
        // Overlapped: iteration 1 ends after RS; iteration 2's first forward waits for the AG (one chunk
        // holds all the stage's parameters), so two iterations take 2 (C + RS) + AG = t1 + t1'.
        double o1 = Job(1, true), o2 = Job(2, true);
        Assert.True(t1 - o1 > 0, $"the all-gather must leave the iteration: {t1} vs {o1}");
        Assert.Equal(t1 + o1, o2, 12);
    }

    [Fact]
    public void Chunked_gathers_hide_under_earlier_chunks_forwards()
    {
        // Interleaved, 2 chunks per GPU: chunk 1's gather runs under chunk 0's forwards.
        var (model, compute) = PipelineFixtures.UniformBlocks(8);
        var cfg = new PipelineConfig
        {
            Model = model, Stages = 2, Microbatches = 4, Schedule = PipelineScheduleKind.Interleaved, VirtualStages = 2, DataParallel = 2,
            Iterations = 3, Zero = ZeroStage.OptimizerStates, OptimizerSeconds = 0,
        };
        var cluster = HardwarePresets.Cluster("dgx-a100", 4);
        double off = PipelineTraining.Simulate(cfg, compute, cluster, backend: NetworkBackend.Analytical).Training.JobTime;
        double on = PipelineTraining.Simulate(cfg with { OverlapParamGather = true }, compute, cluster, backend: NetworkBackend.Analytical).Training.JobTime;
        Assert.True(on < off, $"{on} !< {off}");
    }

    [Fact]
    public void Gradient_reduction_after_the_last_backward_is_slower_only_when_there_is_something_to_overlap()
    {
        var (model, compute) = PipelineFixtures.UniformBlocks(8);
        var cluster = HardwarePresets.Cluster("dgx-a100", 4);
        // Flow network: reductions that run at the same time share the links.
        double Iter(PipelineConfig c) => PipelineTraining.Simulate(c, compute, cluster, backend: NetworkBackend.Flow).Training.IterationTimes[0];
        // One chunk per GPU: the chunk's reduction starts at its last backward either way.
        var oneChunk = new PipelineConfig { Model = model, Stages = 2, Microbatches = 4, DataParallel = 2, OptimizerSeconds = 0 };
        Assert.Equal(Iter(oneChunk), Iter(oneChunk with { OverlapGradReduce = false }));
        // Two chunks: chunk 1's reduction would otherwise run under chunk 0's remaining backwards; held
        // back, it shares the links with chunk 0's and the last one ends later.
        var twoChunks = oneChunk with { Schedule = PipelineScheduleKind.Interleaved, VirtualStages = 2 };
        Assert.True(Iter(twoChunks with { OverlapGradReduce = false }) > Iter(twoChunks));
    }

    [Fact]
    public void Distributed_optimizer_state_is_4_plus_12_over_dp_times_cp_bytes_per_parameter()
    {
        var (model, compute) = PipelineFixtures.UniformBlocks(4);
        var r = PipelineTraining.Simulate(new PipelineConfig { Model = model, Stages = 1, Microbatches = 1, DataParallel = 8, Zero = ZeroStage.OptimizerStates, OptimizerSeconds = 0 }, compute);
        var mem = r.Stages[0].Memory;
        Assert.Equal(4 + 12.0 / 8, (mem.ParameterBytes + mem.GradientBytes + mem.OptimizerBytes) / mem.ParameterCount, 12);
    }

    [Theory]
    [InlineData(80, 4, 5, true)]   // Llama-3 70B recipe: 80 layers, PP 4, VP 5
    [InlineData(96, 8, 12, true)]  // GPT-3 175B: 96 layers, PP 8, VP 12
    [InlineData(126, 9, 7, true)]  // 126 layers (Llama-3 405B), PP 9, VP 7
    [InlineData(80, 4, 3, false)]  // 20 layers per stage do not split into 3 chunks
    [InlineData(126, 8, 7, false)]
    public void Uniform_interleaved_split_follows_megatrons_layers_per_stage_rule(int layers, int p, int v, bool ok)
    {
        var (model, _) = PipelineFixtures.UniformBlocks(layers);
        var cfg = new PipelineConfig
        {
            Model = model, Stages = p, Microbatches = 2 * p, Schedule = PipelineScheduleKind.Interleaved, VirtualStages = v, Partition = PartitionMethod.Uniform,
        };
        if (ok) { cfg.Validate(); return; }
        var e = Assert.Throws<ArgumentException>(cfg.Validate);
        Assert.StartsWith("pipeline.virtual_stages: the uniform (Megatron-LM) split needs", e.Message);
    }
}
