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
