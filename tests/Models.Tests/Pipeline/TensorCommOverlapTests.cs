using Sim.Models.Collectives;
using Sim.Models.Collectives.Nccl;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// TP communication overlap: with tp_comm_overlap on, the exposed TP time per block is, per GEMM /
/// collective pair, the cost of cutting the GEMM into chunks (each timed on its own shape) plus
/// max(0, collective - overlappable chunks) with the GEMM slowed by the SMs the communication holds,
/// computed here from NCCL's model and the kernel compute model independently of the implementation.
/// </summary>
public sealed class TensorCommOverlapTests
{
    private static readonly KernelCompute H100 = new(HardwarePresets.H100Sxm, Precision.Bf16);
    private static readonly NcclSystem Node = NcclSystem.For(HardwarePresets.DgxH100, 1);

    private static TransformerConfig Block(int hidden, int heads, int sequence) =>
        new() { Name = "b", Layers = 4, Hidden = hidden, Heads = heads, Sequence = sequence, Vocabulary = 51200, Dropout = false };

    private static PipelineConfig Config(TransformerConfig tc, int t, bool overlap, TensorOverlapMethod method = TensorOverlapMethod.UserBuffers) => new()
    {
        Model = Transformer.Gpt(tc), Transformer = tc, Stages = 1, Microbatches = 2, TensorParallel = t, SequenceParallel = true,
        TensorCommOverlap = overlap, TensorOverlapMethod = method, TensorGroupNccl = Node, OptimizerSeconds = 0,
    };

    [Theory]
    [InlineData(12288, 96, 2048, 8, TensorOverlapMethod.UserBuffers)] // GPT-3 175B
    [InlineData(12288, 96, 2048, 8, TensorOverlapMethod.SymmetricMemory)]
    [InlineData(1024, 16, 2048, 8, TensorOverlapMethod.UserBuffers)]  // a narrow model
    [InlineData(8192, 64, 4096, 4, TensorOverlapMethod.SymmetricMemory)]
    public void Exposed_tp_time_per_block_is_the_cut_cost_plus_max_0_comm_minus_overlappable_chunks(int hidden, int heads, int sequence, int t, TensorOverlapMethod method)
    {
        var tc = Block(hidden, heads, sequence);
        var cluster = HardwarePresets.Cluster("dgx-h100", 1);
        var r = PipelineTraining.Simulate(Config(tc, t, overlap: true, method), H100, cluster);

        double activation = (double)sequence * hidden * 2; // one micro-batch of 1 sample, bf16
        double Comm(CollectiveKind k, double bytes) => NcclCollectiveTime.Predict(k, Node with { Ranks = t, Nodes = 1 }, bytes).Seconds;
        double ag = Comm(CollectiveKind.AllGather, activation), rs = Comm(CollectiveKind.ReduceScatter, activation);
        var block = Transformer.Gpt(tc).Layers.First(l => l.Kind == "attention");
        double Gemm(string name, Phase phase, int chunks)
        {
            var g = block.Kernels!.OfType<GemmKernel>().Single(k => k.Name == name);
            var alone = new Layer { Name = name, Kind = "matmul", ForwardFlops = 0, BackwardFlops = 0, Parameters = 0, OutputActivationBytes = 0, Kernels = [g with { RowsPerSample = g.RowsPerSample / chunks }] };
            return H100.ShardedLayerTime(alone, phase, 1, t, true);
        }
        // Max(0, comm - overlappable) when the GEMM keeps speed r beside it: max(comm - c, (1 - r) comm).
        static double Hidden(double compute, double comm, double r) => Math.Max(comm - compute, (1 - r) * comm);
        bool ub = method == TensorOverlapMethod.UserBuffers;
        double sms = H100.Facts.StreamingMultiprocessors;
        double rRing = ub ? 1 - 1 / sms : 1, rBulk = 1 - 16 / sms, rPipe = ub ? 1 - 16 / sms : 1;
        int k = ub ? 4 : t;
        double partialSum = ub ? 0 : activation * (1 + 1.0 / t) / (H100.Device.MemoryBandwidth * H100.Facts.MemoryEfficiency) + H100.Facts.KernelOverheadSeconds;
        double forward = 0, backward = 0;
        foreach (var name in new[] { "qkv", "fc1" })
        {
            forward += t * Gemm(name, Phase.Forward, t) - Gemm(name, Phase.Forward, 1) + Hidden((t - 1) * Gemm(name, Phase.Forward, t), ag, rRing);
            // TE bulk: the weight-gradient GEMM on the SMs left for its whole length; async TP leaves it exposed.
            double wgrad = Gemm(name, Phase.Backward, 1) / 2;
            backward += ub ? wgrad / rBulk - wgrad + Math.Max(0, rs - wgrad / rBulk) : rs;
        }
        foreach (var name in new[] { "attention_out", "fc2" })
        {
            double chunkRs = Comm(CollectiveKind.ReduceScatter, activation / k);
            // Pipelined: every chunk on the SMs left (TE's set_sm_margin; async TP keeps them all).
            double chunk = Gemm(name, Phase.Forward, k) / rPipe;
            forward += k * chunk - Gemm(name, Phase.Forward, 1) + Math.Max(0, (k - 1) * chunkRs - (k - 1) * chunk) + chunkRs + partialSum;
            backward += (t * Gemm(name, Phase.Backward, t) - Gemm(name, Phase.Backward, 1)) / 2 + Hidden((t - 1) * Gemm(name, Phase.Backward, t) / 2, ag, rRing);
        }

        Assert.Equal(forward, r.TensorOverlap!.ForwardExposedSeconds, 15);
        Assert.Equal(backward, r.TensorOverlap.BackwardExposedSeconds, 15);
        // The run charges exactly that per block per micro-batch (4 blocks, 2 micro-batches).
        Assert.Equal(2 * 4 * (forward + backward), r.Stages[0].TensorCommunicationSeconds, 12);
        // GPT-3 at t = 8: the attention-output GEMM (h x h/t) is a third of QKV's, too short to hide its reduce-scatter.
        var attentionOut = r.TensorOverlap.Pairs.Single(p => p.Gemm == "attention_out");
        if (hidden == 12288) Assert.True(attentionOut.CollectiveSeconds > attentionOut.ForwardGemmSeconds);

        // Unoverlapped, sequence parallelism exposes the same four collectives (two reduce-scatters, two
        // all-gathers, each costed on its own as Megatron issues them) forward and again backward.
        var exposed = PipelineTraining.Simulate(Config(tc, t, overlap: false), H100, cluster);
        double allExposedPerBlock = 2 * (rs + ag);
        Assert.Equal(r.TensorOverlap.ForwardCommunicationSeconds, allExposedPerBlock, 15);
        Assert.Equal(2 * 4 * 2 * allExposedPerBlock, exposed.Stages[0].TensorCommunicationSeconds, 12);
        // Wide blocks with enough rows per chunk: faster than exposing every collective (narrow ones, or
        // async TP's t = 8 chunks of 256 rows of a 2048-token micro-batch, may not be: the chunked GEMMs'
        // losses and the unfused backward reduce-scatters can outweigh what the overlap hides).
        if (hidden >= 8192 && sequence / (ub ? 4 : t) >= 1024) Assert.True(r.Training.IterationTimes[0] < exposed.Training.IterationTimes[0]);
    }

    [Fact]
    public void Under_fp8_userbuffers_all_gather_one_byte_per_element_and_reduce_scatter_two()
    {
        var tc = Block(8192, 64, 4096);
        var fp8 = new KernelCompute(HardwarePresets.H100Sxm, Precision.Fp8);
        var r = PipelineTraining.Simulate(Config(tc, 4, overlap: true) with { Fp8 = Fp8Recipe.Delayed }, fp8, HardwarePresets.Cluster("dgx-h100", 1));
        double activation = 4096.0 * 8192 * 2; // BF16 activation of one micro-batch
        double Comm(CollectiveKind k, double bytes) => NcclCollectiveTime.Predict(k, Node with { Ranks = 4, Nodes = 1 }, bytes).Seconds;
        var qkv = r.TensorOverlap!.Pairs.Single(p => p.Gemm == "qkv");
        Assert.Equal(Comm(CollectiveKind.AllGather, activation / 2), qkv.CollectiveSeconds, 15);
        Assert.Equal(Comm(CollectiveKind.ReduceScatter, activation), qkv.BackwardCollectiveSeconds, 15);
        // Async TP (TorchTitan's BF16 path here) gathers the BF16 activation.
        var async = PipelineTraining.Simulate(Config(tc, 4, overlap: true, TensorOverlapMethod.SymmetricMemory) with { Fp8 = Fp8Recipe.Delayed }, fp8, HardwarePresets.Cluster("dgx-h100", 1));
        Assert.Equal(Comm(CollectiveKind.AllGather, activation), async.TensorOverlap!.Pairs.Single(p => p.Gemm == "qkv").CollectiveSeconds, 15);
    }

    [Fact]
    public void Without_interference_a_ring_pair_exposes_the_cut_cost_plus_max_0_comm_minus_overlappable()
    {
        // Closed form with r = 1: k g_c - g + max(0, c - (k - 1) g_c).
        Assert.Equal(8 * 1.5 - 10 + Math.Max(0, 12 - 7 * 1.5), TensorCommOverlap.Ring(8, 10, 1.5, 12, 1), 12);
        Assert.Equal(8 * 1.5 - 10, TensorCommOverlap.Ring(8, 10, 1.5, 3, 1), 12);
        // Pipelined: the last chunk's collective is always exposed; with SMs set aside every chunk is slower.
        Assert.Equal(4 * 3 - 11 + 0 + 0.5, TensorCommOverlap.Pipeline(4, 11, 3, 0.5, 1), 12);
        Assert.Equal(4 * 3 / 0.8 - 11 + Math.Max(0, 3 * 4 - 3 * 3 / 0.8) + 4, TensorCommOverlap.Pipeline(4, 11, 3, 4, 0.8), 12);
        // Bulk: the whole GEMM at r, the collective beside it.
        Assert.Equal(10 / 0.8 - 10 + Math.Max(0, 14 - 10 / 0.8), TensorCommOverlap.Bulk(10, 14, 0.8), 12);
        Assert.Equal(10 / 0.8 - 10, TensorCommOverlap.Bulk(10, 3, 0.8), 12);
        // Interference only adds: the same pair with the GEMM slowed never exposes less.
        Assert.True(TensorCommOverlap.Ring(8, 10, 1.5, 3, 0.8) > TensorCommOverlap.Ring(8, 10, 1.5, 3, 1));
    }

    [Fact]
    public void Overlap_without_sequence_parallelism_is_refused_naming_the_key()
    {
        var tc = Block(4096, 32, 2048);
        var e = Assert.Throws<ArgumentException>(() => (Config(tc, 8, true) with { SequenceParallel = false }).Validate());
        Assert.StartsWith("pipeline.tp_comm_overlap: needs pipeline.sequence_parallel", e.Message);
    }
}
