using Sim.Models.Collectives;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Network;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// Tied word embeddings over a pipeline: the last stage holds its own V x h copy, and after the backward
/// the two copies' gradients are all-reduced between the first and last stage before the optimizer.
/// An untied model has the same parameters on the same stages (its LM head is its own V x h matrix), so
/// the two runs differ by exactly that all-reduce, fully exposed: its ring closed form.
/// </summary>
public sealed class TiedEmbeddingSyncTests
{
    private static readonly DeviceSpec A100 = HardwarePresets.A100Sxm80;
    private static readonly ClusterSpec OneNode = HardwarePresets.Cluster("dgx-a100", 1);

    private static TransformerConfig Gpt(bool tied) => new()
    {
        Name = "t", Layers = 4, Hidden = 1024, Heads = 8, Sequence = 512, Vocabulary = 32000, TiedEmbeddings = tied,
    };

    private static PipelineConfig Config(bool tied, int p, int t) => new()
    {
        Model = Transformer.Gpt(Gpt(tied)), Transformer = Gpt(tied), Stages = p, Microbatches = 4, TensorParallel = t,
        Schedule = PipelineScheduleKind.OneFOneB,
    };

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Tied_and_untied_differ_by_one_first_to_last_stage_all_reduce_of_the_embedding_gradients(int t)
    {
        var compute = new KernelCompute(A100, Precision.Bf16);
        var tied = PipelineTraining.Simulate(Config(true, 2, t), compute, OneNode, backend: NetworkBackend.Analytical);
        var untied = PipelineTraining.Simulate(Config(false, 2, t), compute, OneNode, backend: NetworkBackend.Analytical);
        // Same parameters per stage: the last stage's copy is the untied head's matrix.
        for (int s = 0; s < 2; s++) Assert.Equal(untied.Stages[s].Memory.ParameterCount, tied.Stages[s].Memory.ParameterCount, 1e-6);

        var topo = ClusterTopology.Build(OneNode);
        var layout = new ParallelLayout(t, 2, 1, RankOrder.TensorDataPipeline);
        int first = layout.Rank(0, 0, 0), last = layout.Rank(0, 1, 0);
        double bytes = 32000.0 * 1024 / t * 2; // V / t rows of h bf16 gradients
        double allReduce = CollectiveCosts.RingAllReduce(2, bytes, topo.PathLatency(first, last), 1 / topo.PathBandwidth(first, last));
        Assert.Equal(untied.Training.IterationTimes[0] + allReduce, tied.Training.IterationTimes[0], 1e-9);
    }

    [Fact]
    public void One_stage_or_no_tying_means_no_copy_and_no_synchronisation()
    {
        Assert.False(TiedEmbeddingSync.Applies(Config(true, 1, 1)));
        Assert.False(TiedEmbeddingSync.Applies(Config(false, 2, 1)));
        Assert.Equal(0, TiedEmbeddingSync.HeadCopyParameters(Config(true, 1, 1)));
        Assert.Equal(32000.0 * 1024, TiedEmbeddingSync.HeadCopyParameters(Config(true, 2, 1)));
        // One group per tensor rank, context rank and replica, each pairing stage 0 with stage p - 1.
        var groups = TiedEmbeddingSync.Groups(new ParallelLayout(2, 4, 3, RankOrder.TensorDataPipeline));
        Assert.Equal(2 * 3, groups.Count);
        var layout = new ParallelLayout(2, 4, 3, RankOrder.TensorDataPipeline);
        Assert.Contains(groups, g => g[0] == layout.Rank(1, 0, 2) && g[1] == layout.Rank(1, 3, 2));
    }
}
