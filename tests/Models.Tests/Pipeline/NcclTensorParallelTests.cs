using Sim.Models.Collectives;
using Sim.Models.Collectives.Nccl;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// Tensor-parallel collectives costed as NCCL runs them (when the configuration carries the node's
/// NCCL view), and selective recomputation costed from the attention kernels it redoes.
/// </summary>
public sealed class NcclTensorParallelTests
{
    private static readonly ClusterSpec OneNode = HardwarePresets.Cluster("dgx-a100", 1);

    private static PipelineConfig Config(ModelSpec model, int t, Recomputation recompute = Recomputation.None, TransformerConfig? tc = null) => new()
    {
        Model = model, Transformer = tc, Stages = 1, Microbatches = 2, TensorParallel = t, Recompute = recompute,
        TensorGroupNccl = NcclSystem.For(HardwarePresets.DgxA100, 1), OptimizerSeconds = 0,
    };

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void The_tensor_all_reduce_is_NCCLs_modelled_time(int t)
    {
        var (model, compute) = PipelineFixtures.UniformBlocks(4, activationBytes: 64e6);
        var r = PipelineTraining.Simulate(Config(model, t), compute, OneNode);
        double expected = NcclCollectiveTime.Predict(CollectiveKind.AllReduce, NcclSystem.For(HardwarePresets.DgxA100, 1) with { Ranks = t }, 64e6).Seconds;
        Assert.Equal(expected, r.TensorAllReduceSeconds, 15);
        // Slower than alpha-beta at the NVSwitch port's 300 GB/s datasheet rate: NCCL counts 240 GB/s, A100 reaches ~230.
        Assert.True(r.TensorAllReduceSeconds > CollectiveCosts.RingAllReduce(t, 64e6, 0, 1 / 300e9));
    }

    [Theory]
    [InlineData(8e6)]
    [InlineData(64e6)]
    public void On_a_DGX_H100_node_the_tensor_all_reduce_is_NCCLs_time_with_the_NVLS_fill(double bytes)
    {
        // NVLS on one H100 node (NVSwitch multicast): the tuner's figure leaves out the chunk pipeline's fill,
        // which NcclCollectiveTime.Predict adds; the pipeline must charge Predict's time, not the tuner's.
        var node = NcclSystem.For(HardwarePresets.DgxH100, 1);
        var (model, compute) = PipelineFixtures.UniformBlocks(4, activationBytes: bytes);
        var config = Config(model, 8) with { TensorGroupNccl = node };
        var r = PipelineTraining.Simulate(config, compute, HardwarePresets.Cluster("dgx-h100", 1));
        var predicted = NcclCollectiveTime.Predict(CollectiveKind.AllReduce, node with { Ranks = 8, Nodes = 1 }, bytes);
        Assert.Equal(NcclAlgorithm.Nvls, predicted.Algorithm);
        Assert.Equal(predicted.Seconds, r.TensorAllReduceSeconds, 15);
        double tunerOnly = NcclTuningModel.Choose(CollectiveKind.AllReduce, node with { Ranks = 8, Nodes = 1 }, bytes).Seconds;
        Assert.True(r.TensorAllReduceSeconds > tunerOnly, $"pipeline {r.TensorAllReduceSeconds} s, tuner alone {tunerOnly} s");
    }

    [Fact]
    public void Selective_recompute_redoes_exactly_the_attention_core()
    {
        var tc = new TransformerConfig { Name = "g", Layers = 2, Hidden = 4096, Heads = 32, Sequence = 2048, Vocabulary = 32000, FlashAttention = false };
        var model = Transformer.Gpt(tc);
        var compute = new KernelCompute(HardwarePresets.A100Sxm80, Precision.Bf16);
        double Busy(Recomputation r) => PipelineTraining.Simulate(Config(model, 1, r, tc) with { Microbatches = 1 }, compute, OneNode).Stages[0].ComputeSeconds;
        var block = model.Layers[1];
        var core = block with { Kernels = block.Kernels!.Where(k => k.Name is "scores" or "scale_mask_softmax" or "attention_dropout" or "context").ToArray() };
        Assert.Equal(4, core.Kernels!.Count);
        double expected = 2 * compute.LayerTime(core, Phase.Forward, 1); // two blocks
        Assert.Equal(expected, Busy(Recomputation.Selective) - Busy(Recomputation.None), 9);
    }
}
