using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Memory;
using Sim.Models.Network;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// Context parallelism (ring attention over a CP group): K/V volume per step against its formula,
/// exposed transfer time against max(0, transfer - step) per step, the rank order, activation memory
/// divided by c, gradients reduced over d x c, and located refusals.
/// </summary>
public sealed class ContextParallelTests
{
    private static readonly KernelCompute H100 = new(HardwarePresets.H100Sxm, Precision.Bf16);

    /// <summary>Llama-3-70B-shaped blocks (GQA, 8 key/value heads), few layers.</summary>
    private static TransformerConfig Llama(int sequence, int layers = 4) => new()
    {
        Name = "llama-ish", Layers = layers, Hidden = 8192, Heads = 64, KvHeads = 8, Sequence = sequence, Vocabulary = 128256,
        FfnHidden = 28672, GatedFfn = true, Bias = false, RmsNorm = true, LearnedPositions = false, TiedEmbeddings = false, Dropout = false,
    };

    /// <summary>GPT-3-shaped blocks (multi-head attention: every head has its own K and V).</summary>
    private static TransformerConfig Gpt(int sequence, int layers = 4) => new()
    {
        Name = "gpt-ish", Layers = layers, Hidden = 12288, Heads = 96, Sequence = sequence, Vocabulary = 51200, Dropout = false,
    };

    private static PipelineConfig Config(TransformerConfig tc, int t, int c, int d = 1, int m = 2) => new()
    {
        Model = Transformer.Gpt(tc), Transformer = tc, Stages = 1, Microbatches = m, TensorParallel = t, ContextParallel = c,
        DataParallel = d, SequenceParallel = t > 1, OptimizerSeconds = 0,
    };

    [Fact]
    public void Send_volume_per_layer_is_2_cp_minus_1_times_s_over_cp_times_kv_hidden_times_bytes()
    {
        // Llama-3 70B, s = 8192, t = 8, c = 4, b = 1: the rank holds 8/8 = 1 key/value head of dimension 128.
        double forward = ContextParallelism.ForwardBytesPerLayer(Llama(8192), contextParallel: 4, tensorParallel: 8, microBatch: 1);
        Assert.Equal(2.0 * (4 - 1) * (8192 / 4) * 128 * 2, forward);
        Assert.Equal(2 * forward, ContextParallelism.BackwardBytesPerLayer(Llama(8192), 4, 8, 1));
        // Micro-batch 2, GPT-3 (96 heads over t = 8: 12 K/V heads of 128 on the rank), c = 2.
        Assert.Equal(2.0 * 1 * (2048 / 2) * 2 * 12 * 128 * 2, ContextParallelism.ForwardBytesPerLayer(Gpt(2048), 2, 8, 2));
        // The plan a run uses carries the same volume.
        var r = PipelineTraining.Simulate(Config(Llama(8192), 8, 4), H100, HardwarePresets.Cluster("dgx-h100", 4));
        Assert.Equal(forward, r.RingAttention!.ForwardBytesPerLayer);
        Assert.Equal(2 * forward, r.RingAttention.BackwardBytesPerLayer);
    }

    [Theory]
    [InlineData(2048, 2)]  // GPT-3 at 2k over two nodes: the K/V transfer (6 MB at 50 GB/s) outlasts the step
    [InlineData(65536, 2)] // 64k: the step (s^2 work) hides it
    [InlineData(16384, 4)]
    public void Exposed_ring_time_per_layer_is_cp_minus_1_times_max_0_transfer_minus_step(int sequence, int c)
    {
        var tc = Gpt(sequence);
        var cluster = HardwarePresets.Cluster("dgx-h100", c);
        var cfg = Config(tc, 8, c);
        var r = PipelineTraining.Simulate(cfg, H100, cluster, backend: NetworkBackend.Analytical);
        var ring = r.RingAttention!;

        // Independent oracle: step 0 is the causal attention on the rank's own s/c tokens, every later
        // step an unmasked s/(2c) x s/c rectangle (heads split over t); the transfer is one hop between
        // neighbouring CP ranks: tensor rank 0 of CP rank i is GPU 8 i, one per node, so every hop
        // crosses the fabric. The c - 1 transfers run under steps 0 .. c - 2.
        double Time(AttentionKernel k, Phase phase) => H100.ShardedLayerTime(
            new Layer { Name = "a", Kind = "attention_core", ForwardFlops = k.ForwardFlops, BackwardFlops = 0, Parameters = 0, OutputActivationBytes = 0, Kernels = [k] }, phase, 1, 8, true);
        // Around the steps, Transformer Engine's corrections, copies and accumulations (GPT-3: 96 heads,
        // as many K/V heads; E_q = E_kv = s/c x 96 x 128 per rank before the tensor split, 12 of 96 heads
        // on each of the 8 tensor ranks), memory-bound at the H100's streaming rate with one kernel overhead:
        // forward (c - 1) 4 E_kv + c 6 E_q and, once, the sequence-first/batch-first copies, zero fill and first
        // send buffer (10 E_q + 16 E_kv); backward (c - 1) 9 E_q + 6 E_q + c 20 E_kv + 8 E_kv.
        double e = (double)sequence / c * 96 * 128;
        double Stream(double bytes) => bytes / 8 / (HardwarePresets.H100Sxm.MemoryBandwidth * H100.Facts.MemoryEfficiency) + H100.Facts.KernelOverheadSeconds;
        Assert.Equal(Stream(((c - 1) * 4 + c * 6 + 10 + 16) * e), ring.ForwardElementwiseSeconds, 15);
        Assert.Equal(Stream(((c - 1) * 9 + 6 + c * 20 + 8) * e), ring.BackwardElementwiseSeconds, 15);
        var diagonal = new AttentionKernel("attention", 96, sequence / c, 128, Causal: true);
        var rectangle = new AttentionKernel("attention", 96, sequence / (2 * c), 128, Causal: false, Keys: sequence / c);
        double first = Time(diagonal, Phase.Forward), step = Time(rectangle, Phase.Forward);
        double backFirst = Time(diagonal, Phase.Backward), backStep = Time(rectangle, Phase.Backward);
        var topology = ClusterTopology.Build(cluster);
        double bytes = 2.0 * sequence / c * 12 * 128 * 2;
        double hop = Enumerable.Range(0, c).Max(i => topology.PathLatency(8 * i, 8 * ((i + 1) % c)) + bytes / topology.PathBandwidth(8 * i, 8 * ((i + 1) % c)));
        double backHop = Enumerable.Range(0, c).Max(i => topology.PathLatency(8 * i, 8 * ((i + 1) % c)) + 2 * bytes / topology.PathBandwidth(8 * i, 8 * ((i + 1) % c)));
        Assert.Equal(first, ring.ForwardFirstStepSeconds, 15);
        Assert.Equal(step, ring.ForwardStepSeconds, 15);
        Assert.Equal(first + (c - 1) * step + ring.ForwardElementwiseSeconds, ring.ForwardComputeSeconds, 15);
        Assert.Equal(backFirst + (c - 1) * backStep + ring.BackwardElementwiseSeconds, ring.BackwardComputeSeconds, 15);
        Assert.Equal(hop, ring.ForwardTransferSeconds, 15);
        // Every hop leaves its node, so NCCL's send/recv kernel holds 2 of the 132 SMs while it runs (2 p2p
        // channels per network peer): a step under a hop keeps r = 130/132 of its speed, and each transfer
        // exposes max(transfer - step, (1 - r) transfer).
        // Beyond c = 2 Transformer Engine posts the send and the receive unbatched: two kernels on two
        // two-rank communicators, 2 x 2 SMs.
        double kept = 1 - (c > 2 ? 4.0 : 2.0) / 132;
        Assert.Equal(kept, ring.TransferRetainedSpeed, 15);
        double Exposed(double compute, double transfer) => Math.Max(transfer - compute, (1 - kept) * transfer);
        Assert.Equal(Exposed(first, hop) + (c - 2) * Exposed(step, hop), ring.ForwardExposedSeconds, 15);
        Assert.Equal(Exposed(backFirst, backHop) + (c - 2) * Exposed(backStep, backHop), ring.BackwardExposedSeconds, 15);
        if (sequence == 2048) Assert.True(ring.ForwardExposedSeconds > 0, "2k tokens: the transfer must show");
        if (sequence == 65536) Assert.Equal((c - 1) * (1 - kept) * hop, ring.ForwardExposedSeconds, 15); // hidden but for the SMs NCCL holds

        // The run's intra-op communication is the TP collectives plus the exposed ring per block per micro-batch.
        var noRingTransfers = PipelineTraining.Simulate(cfg, H100, cluster, backend: NetworkBackend.Analytical).Stages[0].TensorCommunicationSeconds;
        Assert.Equal(noRingTransfers, r.Stages[0].TensorCommunicationSeconds, 12); // determinism
        var tpOnly = PipelineTraining.Simulate(cfg with { ContextParallel = 1, Transformer = tc with { Sequence = sequence / c }, Model = Transformer.Gpt(tc with { Sequence = sequence / c }) },
            H100, HardwarePresets.Cluster("dgx-h100", 1), backend: NetworkBackend.Analytical).Stages[0].TensorCommunicationSeconds;
        double expectedRing = cfg.Microbatches * tc.Layers * (ring.ForwardExposedSeconds + ring.BackwardExposedSeconds);
        Assert.Equal(tpOnly + expectedRing, r.Stages[0].TensorCommunicationSeconds, 9);
    }

    [Theory]
    [InlineData(2048, 2)]
    [InlineData(65536, 4)]
    public void All_gather_cp_exposes_c_minus_1_block_hops_forward_and_twice_that_backward(int sequence, int c)
    {
        var tc = Gpt(sequence);
        var cluster = HardwarePresets.Cluster("dgx-h100", c);
        var cfg = Config(tc, 8, c) with { ContextParallelCommType = ContextParallelCommType.AllGather };
        var r = PipelineTraining.Simulate(cfg, H100, cluster, backend: NetworkBackend.Analytical);
        var plan = r.RingAttention!;

        // Oracle: a ring all-gather of c blocks is c - 1 hops of one block (alpha + bytes / bandwidth of
        // the slowest hop between neighbouring CP ranks, one per node); nothing hides it.
        var topology = ClusterTopology.Build(cluster);
        double bytes = 2.0 * sequence / c * 12 * 128 * 2;
        double hop = Enumerable.Range(0, c).Max(i => topology.PathLatency(8 * i, 8 * ((i + 1) % c)) + bytes / topology.PathBandwidth(8 * i, 8 * ((i + 1) % c)));
        Assert.Equal((c - 1) * hop, plan.ForwardExposedSeconds, 15);
        Assert.Equal(2 * (c - 1) * hop, plan.BackwardExposedSeconds, 15);
        // Same bytes as the ring: (c - 1) blocks forward, twice that backward.
        Assert.Equal((c - 1) * bytes, plan.ForwardBytesPerLayer);
        Assert.Equal(2 * (c - 1) * bytes, plan.BackwardBytesPerLayer);
        // The attention after the gather: the rank's two s/(2c)-query chunks against the keys up to their
        // ends, masked bottom-right (rank 0: s/(2c) and s keys; every rank does the same work).
        int chunk = sequence / (2 * c);
        var kernels = new AttentionKernel[] { new("attention", 96, chunk, 128, Causal: true, Keys: chunk), new("attention", 96, chunk, 128, Causal: true, Keys: sequence) };
        var gathered = new Layer { Name = "g", Kind = "attention_core", ForwardFlops = 0, BackwardFlops = 0, Parameters = 0, OutputActivationBytes = 0, Kernels = kernels };
        Assert.Equal(H100.ShardedLayerTime(gathered, Phase.Forward, 1, 8, true), plan.ForwardComputeSeconds, 15);
        Assert.Equal(H100.ShardedLayerTime(gathered, Phase.Backward, 1, 8, true), plan.BackwardComputeSeconds, 15);
        // It exposes at least what the ring does, which hides what its steps cover.
        var ring = PipelineTraining.Simulate(cfg with { ContextParallelCommType = ContextParallelCommType.P2P }, H100, cluster, backend: NetworkBackend.Analytical);
        Assert.True(plan.ForwardExposedSeconds >= ring.RingAttention!.ForwardExposedSeconds);
        Assert.True(plan.BackwardExposedSeconds >= ring.RingAttention.BackwardExposedSeconds);
    }

    [Theory]
    [InlineData(ContextParallelCommType.P2P, 2, 1)]           // TE batches send and receive for c = 2
    [InlineData(ContextParallelCommType.P2P, 4, 2)]           // beyond: a lone isend and a lone irecv
    [InlineData(ContextParallelCommType.P2P, 32, 2)]
    [InlineData(ContextParallelCommType.AllGather, 8, 1)]     // one collective
    [InlineData(ContextParallelCommType.TorchAllGather, 8, 1)]
    public void A_ring_hop_runs_one_nccl_kernel_when_batched_and_two_when_not(ContextParallelCommType kind, int c, int kernels) =>
        Assert.Equal(kernels, RingAttentionPlan.SendRecvKernels(kind, c));

    [Fact]
    public void Transformer_engines_element_wise_bytes_are_the_hand_counted_passes()
    {
        // c = 2, E_q = 1000, E_kv = 100. Forward: one later step's K/V half copy (4 per E_kv) and two
        // output corrections (6 per E_q): 400 + 12 000; once, Q made batch-first, the output zero-filled and
        // copied back sequence-first (4 + 2 + 4 per E_q), K and V made batch-first and concatenated into the
        // first send buffer (8 + 8 per E_kv): 10 000 + 1 600. Backward: one later step's Q/O/dO half copies and
        // dQ half accumulation (9 per E_q), the diagonal's dQ add (6 per E_q), two steps' dK/dV concatenation
        // and accumulation (20 per E_kv), the first send buffer (8 per E_kv): 9 000 + 6 000 + 4 000 + 800.
        Assert.Equal(24_000, RingAttentionElementwise.ForwardBytes(2, 1000, 100), 9);
        Assert.Equal(19_800, RingAttentionElementwise.BackwardBytes(2, 1000, 100), 9);
        // Linear in the elements: GQA's smaller K/V cuts only the K/V terms.
        Assert.Equal(RingAttentionElementwise.ForwardBytes(4, 1000, 0) + RingAttentionElementwise.ForwardBytes(4, 0, 100), RingAttentionElementwise.ForwardBytes(4, 1000, 100), 9);
    }

    [Theory]
    [InlineData(131072, 16, true)]
    [InlineData(32768, 2, true)]
    [InlineData(16384, 4, false)]
    public void Ring_steps_and_gathered_chunks_each_do_one_ranks_share_of_the_attention(int sequence, int c, bool causal)
    {
        // Conservation: whatever kernels CP runs, a rank does 1/c of the whole attention's FLOPs
        // (causal: 4 d h s^2 / 2; unmasked: 4 d h s^2), on the ring and after the all-gather alike.
        var whole = new AttentionKernel("attention", 8, sequence, 128, causal);
        double share = whole.ForwardFlops / c;
        var first = ContextParallelism.DiagonalStep(whole, c);
        var later = ContextParallelism.LaterStep(whole, c);
        Assert.Equal(share, first.ForwardFlops + (c - 1) * later.ForwardFlops, 6);
        Assert.Equal(share, ContextParallelism.GatheredAttention(whole, c).ForwardFlops, 6);
        // Under the causal mask only step 0 is masked: the later steps are unmasked rectangles.
        var step = later.Kernels!.OfType<AttentionKernel>().Single();
        Assert.False(step.Causal);
        Assert.Equal(causal ? sequence / (2 * c) : sequence / c, step.Sequence);
        Assert.Equal(sequence / c, step.KeyLength);
        Assert.Equal(causal, first.Kernels!.OfType<AttentionKernel>().Single().Causal);
        Assert.Equal(2.5 * later.ForwardFlops, later.BackwardFlops, 6);
        // The steps are attention kernels only; the corrections and accumulations around them are the
        // plan's element-wise work (RingAttentionElementwise).
        Assert.Empty(first.Kernels!.OfType<StreamKernel>());
        Assert.Empty(later.Kernels!.OfType<StreamKernel>());
    }

    [Fact]
    public void Ranks_follow_megatrons_tp_cp_dp_pp_order()
    {
        var layout = new ParallelLayout(Tensor: 2, Pipeline: 2, Data: 2, RankOrder.TensorDataPipeline, Context: 2);
        Assert.Equal(16, layout.Gpus);
        Assert.Equal(1 + 2 * 1, layout.Rank(1, 0, 0, 1));            // CP just outside TP
        Assert.Equal(0 + 2 * (0 + 2 * 1), layout.Rank(0, 0, 1, 0));  // then DP
        Assert.Equal(2 * 2 * 2, layout.Rank(0, 1, 0, 0));            // then PP
        Assert.Equal([0, 2], layout.ContextGroup(0, 0, 0));
        Assert.Equal([1, 3, 5, 7], layout.DataGroup(1, 0));          // d x c ranks reduce gradients
        var all = Enumerable.Range(0, 2).SelectMany(t => Enumerable.Range(0, 2).SelectMany(p => Enumerable.Range(0, 2).SelectMany(d =>
            Enumerable.Range(0, 2).Select(c => layout.Rank(t, p, d, c))))).Order().ToArray();
        Assert.Equal(Enumerable.Range(0, 16), all); // a bijection onto the GPUs
    }

    [Theory]
    [InlineData(2)]
    [InlineData(4)]
    public void Activation_memory_per_gpu_is_divided_by_cp_and_optimizer_state_shards_over_dp_times_cp(int c)
    {
        var tc = Llama(8192);
        var one = PipelineTraining.Simulate(Config(tc, 8, 1, d: 2) with { Zero = ZeroStage.OptimizerStates }, H100);
        var many = PipelineTraining.Simulate(Config(tc, 8, c, d: 2) with { Zero = ZeroStage.OptimizerStates }, H100);
        Assert.Equal(one.Stages[0].Memory.ActivationBytes / c, many.Stages[0].Memory.ActivationBytes, 6);
        Assert.Equal(one.Stages[0].Memory.OptimizerBytes * 2 / (2 * c), many.Stages[0].Memory.OptimizerBytes, 6);
        Assert.Equal(one.Stages[0].Memory.ParameterBytes, many.Stages[0].Memory.ParameterBytes); // parameters are replicated over CP
        // Same samples per iteration (CP does not change the batch), more GPUs.
        Assert.Equal(one.Training.SamplesPerIteration, many.Training.SamplesPerIteration);
        Assert.Equal(one.Training.Workers * c, many.Training.Workers);
        // Free communication: the per-GPU work shrinks, so the iteration is faster, but not c times
        // (attention steps keep their launch overhead, and norms and GEMMs shrink less than linearly).
        double speedup = one.Training.IterationTimes[0] / many.Training.IterationTimes[0];
        Assert.InRange(speedup, 1.2, c);
    }

    [Fact]
    public void Flash_attention_blocks_store_korthikantis_selective_bytes_plus_the_log_sum_exp()
    {
        // One 1F1B stage of Llama-shaped blocks, t = 8 with sequence parallelism, m = 1: one micro-batch in flight.
        var tc = Llama(8192);
        var r = PipelineTraining.Simulate(Config(tc, 8, 1, m: 1), H100);
        double block = TransformerActivationMemory.PerLayerBytes(8192, 1, 8192, 64, 8, true, Recomputation.Selective) + 4.0 * (64 / 8) * 8192;
        var model = Transformer.Gpt(tc);
        double others = model.Layers.Where(l => l.Kind != "attention").Sum(l => l.StoredActivationBytes / 8);
        Assert.Equal(4 * block + others, r.Stages[0].Memory.ActivationBytes, 1e-9 * block);
        // Unfused attention keeps the s x s terms: many times more at 8K tokens.
        var unfused = tc with { FlashAttention = false };
        var u = PipelineTraining.Simulate(Config(unfused, 8, 1, m: 1) with { Model = Transformer.Gpt(unfused) }, H100);
        Assert.True(u.Stages[0].Memory.ActivationBytes > 5 * r.Stages[0].Memory.ActivationBytes);
    }

    [Fact]
    public void Gradients_reduce_over_data_times_context_ranks_on_the_network()
    {
        // One stage, d = 1, c = 2 across two nodes: the only gradient reduction is the one over the two
        // CP ranks, after the last backward; a ring all-reduce over 2 ranks moves the gradient once.
        var tc = Gpt(4096, layers: 2);
        var cluster = HardwarePresets.Cluster("dgx-h100", 2);
        var r = PipelineTraining.Simulate(Config(tc, 8, 2, d: 1), H100, cluster, backend: NetworkBackend.Analytical);
        double gradientBytes = r.Stages[0].Memory.ParameterCount * ModelStateMemory.GradientBytes;
        var topology = ClusterTopology.Build(cluster);
        double afterBackward = r.Training.IterationTimes[0] - r.Stages[0].BusySeconds;
        Assert.InRange(afterBackward, gradientBytes / topology.PathBandwidth(0, 8), 1.05 * gradientBytes / topology.PathBandwidth(0, 8) + 1e-3);
        var again = PipelineTraining.Simulate(Config(tc, 8, 2, d: 1), H100, cluster, backend: NetworkBackend.Analytical);
        Assert.Equal(r.Training.IterationTimes[0], again.Training.IterationTimes[0]); // bit for bit
    }

    [Fact]
    public void Unsplittable_sequences_and_unfused_attention_are_refused_naming_the_key()
    {
        var e = Assert.Throws<ArgumentException>(() => Config(Llama(8190), 8, 2).Validate());
        Assert.StartsWith("pipeline.context_parallel:", e.Message);
        Assert.Contains("multiple of 2 x context_parallel = 4", e.Message);
        var unfused = Gpt(4096) with { FlashAttention = false };
        e = Assert.Throws<ArgumentException>(() => Config(unfused, 8, 2).Validate());
        Assert.Contains("fused (flash) attention", e.Message);
    }
}
