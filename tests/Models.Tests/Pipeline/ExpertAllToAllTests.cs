using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Network;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;


namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// Mixture-of-experts all-to-alls inside pipeline training: the bytes one GPU sends per dispatch against
/// the formula tokens x top-k x hidden x bytes x (ep - 1) / ep, their time against (ep - 1) alpha + V beta
/// on the path between neighbouring data-parallel replicas, and four of them per MoE block per micro-batch.
/// </summary>
public sealed class ExpertAllToAllTests
{
    private static readonly TransformerConfig Moe = new()
    {
        Name = "moe", Layers = 2, Hidden = 1024, Heads = 16, Sequence = 512, Vocabulary = 32000, Experts = 8, TopK = 2,
    };

    private static PipelineResult Run(int ep, bool sequenceParallel = false, Recomputation recompute = Recomputation.None) =>
        PipelineTraining.Simulate(new PipelineConfig
        {
            Model = Transformer.Gpt(Moe), Transformer = Moe, Stages = 1, Microbatches = 3, TensorParallel = 8, DataParallel = 2,
            ExpertParallel = ep, SequenceParallel = sequenceParallel, Recompute = recompute, OptimizerSeconds = 0,
        }, new KernelCompute(HardwarePresets.A100Sxm80, Precision.Bf16), HardwarePresets.Cluster("dgx-a100", 2));

    [Fact]
    public void Dispatch_volume_is_tokens_times_top_k_times_hidden_times_bytes_times_ep_minus_1_over_ep()
    {
        // 512 tokens x top-2 x 1024 x 2 bytes x (2 - 1) / 2 = 1 MiB per GPU.
        Assert.Equal(512.0 * 2 * 1024 * 2 * 1 / 2, Run(2).ExpertAllToAllBytesPerGpu, 6);
        Assert.Equal(1L << 20, MoeTraffic.AllToAllBytesPerGpu(512, 2, 1024, 2, 2), 6);
        // Sequence parallelism: each of the 8 tensor ranks routes 1/8 of the tokens.
        Assert.Equal(512.0 / 8 * 2 * 1024 * 2 / 2, Run(2, sequenceParallel: true).ExpertAllToAllBytesPerGpu, 6);
        Assert.Equal(0, Run(1).ExpertAllToAllBytesPerGpu);
    }

    [Fact]
    public void Its_time_is_alpha_beta_on_the_path_between_neighbouring_replicas()
    {
        var topology = ClusterTopology.Build(HardwarePresets.Cluster("dgx-a100", 2));
        // Tensor ranks 0..7 fill node 0; replica 1 starts on node 1: the exchange crosses one 200 Gb/s NIC.
        double alpha = topology.PathLatency(0, 8), beta = 1 / topology.PathBandwidth(0, 8);
        Assert.Equal(25e9, 1 / beta, 3);
        Assert.Equal(alpha + (1 << 20) * beta, Run(2).ExpertAllToAllSeconds, 15);
    }

    [Theory]
    [InlineData(Recomputation.None, 4)]
    [InlineData(Recomputation.Full, 6)]
    public void Each_MoE_block_does_two_forward_and_two_backward_per_micro_batch(Recomputation recompute, int perBlock)
    {
        var with = Run(2, recompute: recompute);
        var without = Run(1, recompute: recompute);
        double added = with.Stages[0].TensorCommunicationSeconds - without.Stages[0].TensorCommunicationSeconds;
        Assert.Equal(perBlock * Moe.Layers * 3 * with.ExpertAllToAllSeconds, added, 12);
        Assert.True(with.Training.MeanIterationTime > without.Training.MeanIterationTime);
    }

    [Fact]
    public void Expert_parallelism_is_refused_where_it_cannot_be_laid_out()
    {
        var dense = Moe with { Experts = 1, TopK = 1 };
        var cfg = new PipelineConfig { Model = Transformer.Gpt(dense), Transformer = dense, Stages = 1, Microbatches = 1, DataParallel = 2, ExpertParallel = 2 };
        Assert.Contains("mixture-of-experts", Assert.Throws<ArgumentException>(cfg.Validate).Message);
        var odd = cfg with { Model = Transformer.Gpt(Moe), Transformer = Moe, DataParallel = 3 };
        Assert.Contains("data_parallel", Assert.Throws<ArgumentException>(odd.Validate).Message);
        var experts = cfg with { Model = Transformer.Gpt(Moe), Transformer = Moe, DataParallel = 6, ExpertParallel = 3 };
        Assert.Contains("expert count", Assert.Throws<ArgumentException>(experts.Validate).Message);
    }
}
