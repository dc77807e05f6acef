using Sim.Models.Collectives;
using Sim.Models.Collectives.Nccl;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// TP communication overlap: with tp_comm_overlap on, the exposed TP time per block is
/// sum over the four GEMM / collective pairs of max(0, collective - GEMM) plus the chunked GEMMs'
/// extra launches, computed here from NCCL's model and the kernel compute model independently.
/// </summary>
public sealed class TensorCommOverlapTests
{
    private static readonly KernelCompute H100 = new(HardwarePresets.H100Sxm, Precision.Bf16);
    private static readonly NcclSystem Node = NcclSystem.For(HardwarePresets.DgxH100, 1);

    private static TransformerConfig Block(int hidden, int heads, int sequence) =>
        new() { Name = "b", Layers = 4, Hidden = hidden, Heads = heads, Sequence = sequence, Vocabulary = 51200, Dropout = false };

    private static PipelineConfig Config(TransformerConfig tc, int t, bool overlap) => new()
    {
        Model = Transformer.Gpt(tc), Transformer = tc, Stages = 1, Microbatches = 2, TensorParallel = t, SequenceParallel = true,
        TensorCommOverlap = overlap, TensorGroupNccl = Node, OptimizerSeconds = 0,
    };

    [Theory]
    [InlineData(12288, 96, 2048, 8)] // GPT-3 175B
    [InlineData(1024, 16, 2048, 8)]  // a narrow model
    [InlineData(8192, 64, 4096, 4)]
    public void Exposed_tp_time_per_block_is_the_sum_of_max_0_comm_minus_gemm_plus_chunk_launches(int hidden, int heads, int sequence, int t)
    {
        var tc = Block(hidden, heads, sequence);
        var cluster = HardwarePresets.Cluster("dgx-h100", 1);
        var r = PipelineTraining.Simulate(Config(tc, t, overlap: true), H100, cluster);

        double activation = (double)sequence * hidden * 2; // one micro-batch of 1 sample, bf16
        double Comm(CollectiveKind k) => NcclTuningModel.Choose(k, Node with { Ranks = t, Nodes = 1 }, activation).Seconds;
        var block = Transformer.Gpt(tc).Layers.First(l => l.Kind == "attention");
        double Gemm(string name, Phase phase)
        {
            var g = block.Kernels!.OfType<GemmKernel>().Single(k => k.Name == name);
            var alone = new Layer { Name = name, Kind = "matmul", ForwardFlops = 0, BackwardFlops = 0, Parameters = 0, OutputActivationBytes = 0, Kernels = [g] };
            return H100.ShardedLayerTime(alone, phase, 1, t, true);
        }
        (string Gemm, CollectiveKind Kind)[] pairs =
            [("qkv", CollectiveKind.AllGather), ("attention_out", CollectiveKind.ReduceScatter), ("fc1", CollectiveKind.AllGather), ("fc2", CollectiveKind.ReduceScatter)];
        double launches = 4 * (t - 1) * H100.Facts.KernelOverheadSeconds;
        double forward = pairs.Sum(p => Math.Max(0, Comm(p.Kind) - Gemm(p.Gemm, Phase.Forward))) + launches;
        double backward = pairs.Sum(p => Math.Max(0, Comm(p.Kind) - Gemm(p.Gemm, Phase.Backward))) + launches;

        Assert.Equal(forward, r.TensorOverlap!.ForwardExposedSeconds, 15);
        Assert.Equal(backward, r.TensorOverlap.BackwardExposedSeconds, 15);
        // The run charges exactly that per block per micro-batch (4 blocks, 2 micro-batches).
        Assert.Equal(2 * 4 * (forward + backward), r.Stages[0].TensorCommunicationSeconds, 12);
        // GPT-3 at t = 8: the attention-output GEMM (h x h/t) is a third of QKV's, too short to hide its reduce-scatter.
        var attentionOut = r.TensorOverlap.Pairs.Single(p => p.Gemm == "attention_out");
        if (hidden == 12288) Assert.True(attentionOut.CollectiveSeconds > attentionOut.ForwardGemmSeconds && forward > launches);

        // Unoverlapped, sequence parallelism exposes the same four collectives (two reduce-scatters, two
        // all-gathers, each costed on its own as Megatron issues them) forward and again backward.
        var exposed = PipelineTraining.Simulate(Config(tc, t, overlap: false), H100, cluster);
        double allExposedPerBlock = 2 * (Comm(CollectiveKind.ReduceScatter) + Comm(CollectiveKind.AllGather));
        Assert.Equal(r.TensorOverlap.ForwardCommunicationSeconds, allExposedPerBlock, 15);
        Assert.Equal(2 * 4 * 2 * allExposedPerBlock, exposed.Stages[0].TensorCommunicationSeconds, 12);
        // Wide blocks: faster than exposing every collective (narrow ones may not be: the chunked GEMMs'
        // extra launches can outweigh the little they hide).
        if (hidden >= 8192) Assert.True(r.Training.IterationTimes[0] < exposed.Training.IterationTimes[0]);
    }

    [Fact]
    public void Overlap_without_sequence_parallelism_is_refused_naming_the_key()
    {
        var tc = Block(4096, 32, 2048);
        var e = Assert.Throws<ArgumentException>(() => (Config(tc, 8, true) with { SequenceParallel = false }).Validate());
        Assert.StartsWith("pipeline.tp_comm_overlap: needs pipeline.sequence_parallel", e.Message);
    }
}
