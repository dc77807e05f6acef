using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

public class StagePartitionTests
{
    [Fact]
    public void Balanced_cut_minimises_the_slowest_stage()
    {
        var model = PipelineFixtures.UniformBlocks(6).Model;
        // Layer times 1,1,1,1,4,2: the best 3-way cut is {1,1,1,1} {4} {2} with slowest stage 4.
        Assert.Equal(new[] { 0, 4, 5, 6 }, StagePartition.Cut(model, 3, PartitionMethod.Balanced, new double[] { 1, 1, 1, 1, 4, 2 }));
        // Brute force over every 2-way cut agrees on the optimum for a lopsided profile.
        double[] t = { 5, 1, 1, 1, 1, 1 };
        var bounds = StagePartition.Cut(model, 2, PartitionMethod.Balanced, t);
        double best = Enumerable.Range(1, 5).Min(c => Math.Max(t[..c].Sum(), t[c..].Sum()));
        Assert.Equal(best, Math.Max(t[..bounds[1]].Sum(), t[bounds[1]..].Sum()));
    }

    [Fact]
    public void Uniform_cut_is_Megatron_s_blocks_evenly_with_embedding_first_and_head_last()
    {
        var gpt = Transformer.Gpt(ModelZoo.Gpt3_175B); // embedding, 96 blocks, lm_head
        var bounds = StagePartition.Cut(gpt, 16, PartitionMethod.Uniform, new double[gpt.Layers.Count]);
        Assert.Equal(17, bounds.Length);
        Assert.Equal(0, bounds[0]);
        Assert.Equal(7, bounds[1]);            // embedding + 6 blocks
        Assert.Equal(1 + 15 * 6, bounds[15]);  // last stage: 6 blocks + head
        Assert.Equal(98, bounds[16]);
        var e = Assert.Throws<ArgumentException>(() => StagePartition.Cut(gpt, 7, PartitionMethod.Uniform, new double[98]));
        Assert.Contains("divide by 7", e.Message);
    }

    [Fact]
    public void Explicit_cut_checks_counts()
    {
        var model = PipelineFixtures.UniformBlocks(6).Model;
        Assert.Equal(new[] { 0, 1, 6 }, StagePartition.Cut(model, 2, PartitionMethod.Explicit, new double[6], new[] { 1, 5 }));
        Assert.Contains("sums to 5", Assert.Throws<ArgumentException>(() => StagePartition.Cut(model, 2, PartitionMethod.Explicit, new double[6], new[] { 1, 4 })).Message);
        Assert.Contains("needs 2 entries", Assert.Throws<ArgumentException>(() => StagePartition.Cut(model, 2, PartitionMethod.Explicit, new double[6], new[] { 6 })).Message);
    }

    [Fact]
    public void Full_recomputation_adds_a_forward_before_each_backward()
    {
        const double tf = 1e-3, tb = 2e-3;
        const int p = 4, m = 8;
        var (model, compute) = PipelineFixtures.UniformBlocks(2 * p, tf, tb);
        var cfg = new PipelineConfig { Model = model, Stages = p, Microbatches = m, Recompute = Recomputation.Full, OptimizerSeconds = 0, Iterations = 3 };
        var r = PipelineTraining.Simulate(cfg, compute);
        Assert.Equal(3, r.Training.Iterations);
        foreach (var t in r.Training.IterationTimes) Assert.Equal((m + p - 1) * 2 * (2 * tf + tb), t, 1e-12);
        Assert.Equal((p - 1.0) / m, r.BubbleFraction, 1e-9);
        // Only each block's input is kept: 1 MB per block, 2 blocks per stage, p - s micro-batches in flight.
        Assert.Equal((p - 1) * 2 * 1e6, r.Stages[1].Memory.ActivationBytes, 1e-6);
        Assert.Equal(4e6, r.Stages[1].Memory.RecomputeWorkspaceBytes); // one block's full activations, rebuilt in its backward
        Assert.Contains("selective", Assert.Throws<ArgumentException>(() => PipelineTraining.Simulate(cfg with { Recompute = Recomputation.Selective }, compute)).Message);
    }
}

/// <summary>The balanced partition under interleaving evens the load per GPU, not per virtual stage.</summary>
public sealed class InterleavedBalanceTests
{
    private static double[] GpuLoads(int[] bounds, double[] seconds, int devices)
    {
        var load = new double[devices];
        for (int s = 0; s + 1 < bounds.Length; s++)
            for (int i = bounds[s]; i < bounds[s + 1]; i++) load[s % devices] += seconds[i];
        return load;
    }

    private static ModelSpec Model(int layers) => new()
    {
        Name = "m", Layers = Enumerable.Range(0, layers).Select(i => new Layer
        {
            Name = $"l{i}", Kind = "attention", ForwardFlops = 1, BackwardFlops = 2, Parameters = 1, OutputActivationBytes = 1,
        }).ToList(),
    };

    [Theory]
    [InlineData(30, 4, 2)]
    [InlineData(126, 16, 2)]
    [InlineData(98, 8, 4)]
    [InlineData(50, 4, 3)]
    public void Equal_layers_spread_over_GPUs_within_one_layer(int layers, int devices, int v)
    {
        var seconds = Enumerable.Repeat(1.0, layers).ToArray();
        var bounds = StagePartition.Cut(Model(layers), devices * v, PartitionMethod.Balanced, seconds, devices: devices);
        var load = GpuLoads(bounds, seconds, devices);
        Assert.InRange(load.Max() - load.Min(), 0, 1 + 1e-9);
        Assert.Equal(Math.Ceiling((double)layers / devices), load.Max(), 9); // the busiest GPU holds the fewest possible
        for (int s = 0; s < devices * v; s++) Assert.True(bounds[s + 1] > bounds[s]); // every chunk has a layer
    }

    [Fact]
    public void Minimising_the_slowest_virtual_stage_alone_can_leave_GPUs_unbalanced()
    {
        // 32 unit blocks and a head worth 8 of them, 8 GPUs x 2 chunks. The per-chunk optimum (the head
        // alone, 8) lets the early chunks take 2 blocks each and the last GPU its 2 blocks plus the head:
        // 10 against 4 elsewhere. Per GPU, the head's GPU needs at least 1 block + the head = 9.
        var seconds = Enumerable.Repeat(1.0, 32).Append(8.0).ToArray();
        var perChunk = StagePartition.Cut(Model(33), 16, PartitionMethod.Balanced, seconds);
        var perGpu = StagePartition.Cut(Model(33), 16, PartitionMethod.Balanced, seconds, devices: 8);
        Assert.Equal(10, GpuLoads(perChunk, seconds, 8).Max(), 9);
        Assert.Equal(9, GpuLoads(perGpu, seconds, 8).Max(), 9);
        Assert.True(GpuLoads(perGpu, seconds, 8).Where((_, d) => d != 7).All(l => l is >= 4 and <= 5));
    }
}
