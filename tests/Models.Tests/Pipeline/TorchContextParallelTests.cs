using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Network;
using Sim.Models.Training.Pipeline;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Pipeline;

/// <summary>
/// PyTorch's experimental context parallel with the allgather rotation (<see cref="TorchContextParallel"/>)
/// and K/V repeated to every query head before attention (<see cref="TransformerConfig.RepeatKv"/>):
/// closed-form exposure, hand-counted element-wise bytes, FP32 dK/dV hops and the K/V volume by heads.
/// </summary>
public sealed class TorchContextParallelTests
{
    private static readonly KernelCompute H100 = new(HardwarePresets.H100Sxm, Precision.Bf16);

    /// <summary>Llama-3.1-405B-shaped blocks (128 query heads, 8 key/value heads of 128), few layers.</summary>
    private static TransformerConfig Llama(int sequence, bool repeatKv) => new()
    {
        Name = "llama-405b-ish", Layers = 2, Hidden = 16384, Heads = 128, KvHeads = 8, RepeatKv = repeatKv, Sequence = sequence, Vocabulary = 128256,
        FfnHidden = 53248, GatedFfn = true, Bias = false, RmsNorm = true, LearnedPositions = false, TiedEmbeddings = false, Dropout = false,
    };

    private static PipelineConfig Config(TransformerConfig tc, int t, int c, ContextParallelCommType type) => new()
    {
        Model = Transformer.Gpt(tc), Transformer = tc, Stages = 1, Microbatches = 1, TensorParallel = t, ContextParallel = c,
        DataParallel = 1, SequenceParallel = t > 1, OptimizerSeconds = 0, ContextParallelCommType = type,
    };

    [Fact]
    public void Exposure_is_the_gather_beyond_step_0_and_the_fp32_gradient_hops_beyond_their_steps_plus_the_last_hop()
    {
        // Forward, c = 4: the gather is 3 hops of 0.5 s = 1.5 s under a 1 s step 0: 0.5 s exposed.
        Assert.Equal(0.5, TorchContextParallel.ForwardExposedSeconds(4, firstStepSeconds: 1.0, kvHopSeconds: 0.5), 15);
        // A step 0 longer than the gather hides it.
        Assert.Equal(0, TorchContextParallel.ForwardExposedSeconds(4, 2.0, 0.5));
        // Backward: 0.5 s of gather beyond step 0, three 0.3 s gradient hops under 0.2 s later steps (0.1 s
        // each) and the last 0.3 s hop whole: 0.5 + 0.3 + 0.3 = 1.1 s.
        Assert.Equal(1.1, TorchContextParallel.BackwardExposedSeconds(4, firstStepSeconds: 1.0, laterStepSeconds: 0.2, kvHopSeconds: 0.5, gradHopSeconds: 0.3), 12);
        // Steps that outlast every hop still leave the last gradient hop.
        Assert.Equal(0.3, TorchContextParallel.BackwardExposedSeconds(4, 9, 9, 0.5, 0.3), 15);
    }

    [Fact]
    public void Element_wise_bytes_are_the_hand_counted_passes_per_step()
    {
        // c = 2, E_q = 1000 query elements, E_kv = 100 K/V elements. Forward: one later step's FP32 merge
        // (cast 6 + three passes 32 = 38 per E_q) and one K/V concatenation (8 per E_kv), plus step 0's cast
        // and the final cast back (12 per E_q) and K/V made contiguous once (8 per E_kv): 38 000 + 800 + 12 000 + 800.
        Assert.Equal(51_600, TorchContextParallel.ForwardElementwiseBytes(2, 1000, 100), 9);
        // Backward: two steps of dQ accumulation (10 per E_q) and dK/dV accumulation plus concatenation
        // (42 per E_kv), one K/V concatenation (8 per E_kv), once zeroing and casting (10 per E_q, 20 per E_kv)
        // and K/V made contiguous again (8 per E_kv): 20 000 + 8 400 + 800 + 10 000 + 2 000 + 800.
        Assert.Equal(42_000, TorchContextParallel.BackwardElementwiseBytes(2, 1000, 100), 9);
    }

    [Fact]
    public void Repeated_kv_moves_every_query_heads_keys_and_values()
    {
        // 405B, s = 32k, t = 8, c = 4: 8 key/value heads leave 1 per tensor rank; repeated, 128 / 8 = 16.
        double grouped = ContextParallelism.ForwardBlockBytes(Llama(32768, repeatKv: false), 4, 8, 1);
        double repeated = ContextParallelism.ForwardBlockBytes(Llama(32768, repeatKv: true), 4, 8, 1);
        Assert.Equal(2.0 * 32768 / 4 * 1 * 128 * 2, grouped);
        Assert.Equal(2.0 * 32768 / 4 * 16 * 128 * 2, repeated);
        Assert.Equal(128, Llama(8192, true).AttentionKeyValueHeads);
        Assert.Equal(8, Llama(8192, false).AttentionKeyValueHeads);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(8)]
    public void The_plan_runs_the_ring_kernels_with_fp32_gradient_hops_and_its_exposure_formula(int c)
    {
        var tc = Llama(16 * 1024 * c, repeatKv: true);
        var cluster = HardwarePresets.Cluster("dgx-h100", c);
        var torch = PipelineTraining.Simulate(Config(tc, 8, c, ContextParallelCommType.TorchAllGather), H100, cluster, backend: NetworkBackend.Analytical).RingAttention!;
        var ring = PipelineTraining.Simulate(Config(tc, 8, c, ContextParallelCommType.P2P), H100, cluster, backend: NetworkBackend.Analytical).RingAttention!;

        // Same K/V block; the FP32 dK/dV block is twice the BF16 K/V block, the bytes of the ring's K/V + dK/dV hop.
        Assert.Equal(ring.ForwardBlockBytes, torch.ForwardBlockBytes);
        Assert.Equal(2 * torch.ForwardBlockBytes, torch.GradientBlockBytes);
        Assert.Equal(ring.BackwardTransferSeconds, torch.GradientTransferSeconds, 15);
        // Backward bytes: the gather again plus c gradient blocks.
        Assert.Equal((c - 1) * torch.ForwardBlockBytes + c * torch.GradientBlockBytes, torch.BackwardBytesPerLayer, 3);

        // Kernels: the ring's steps plus PyTorch's element-wise work.
        var attention = Transformer.Gpt(tc).Layers.SelectMany(l => l.Kernels ?? []).OfType<AttentionKernel>().First();
        double Kernel(Layer l, Phase p) => H100.ShardedLayerTime(l, p, 1, 8, true);
        double forwardKernels = Kernel(ContextParallelism.DiagonalStep(attention, c), Phase.Forward)
                                + (c - 1) * Kernel(ContextParallelism.LaterStep(attention, c), Phase.Forward);
        Assert.Equal(forwardKernels + torch.ForwardElementwiseSeconds, torch.ForwardComputeSeconds, 12);
        Assert.True(torch.ForwardElementwiseSeconds > 0 && torch.BackwardElementwiseSeconds > torch.ForwardElementwiseSeconds / 2);

        Assert.Equal(TorchContextParallel.ForwardExposedSeconds(c, torch.ForwardFirstStepSeconds, torch.ForwardTransferSeconds), torch.ForwardExposedSeconds, 15);
        Assert.Equal(TorchContextParallel.BackwardExposedSeconds(c, torch.BackwardFirstStepSeconds, torch.BackwardStepSeconds, torch.ForwardTransferSeconds, torch.GradientTransferSeconds, torch.TransferRetainedSpeed),
            torch.BackwardExposedSeconds, 15);
        // The last gradient hop is never hidden: PyTorch's rotation exposes at least that much backward.
        Assert.True(torch.BackwardExposedSeconds >= torch.GradientTransferSeconds);
    }

    [Fact]
    public void A_ring_that_leaves_the_node_runs_its_steps_beside_its_nccl_channels_one_inside_the_node_at_full_speed()
    {
        // CP 4 x TP 2 on one DGX H100: every hop stays on NVLink; CP 4 x TP 8 on four: every hop crosses the fabric.
        var inNode = PipelineTraining.Simulate(Config(Llama(32768, true), 2, 4, ContextParallelCommType.P2P), H100, HardwarePresets.Cluster("dgx-h100", 1), backend: NetworkBackend.Analytical).RingAttention!;
        var across = PipelineTraining.Simulate(Config(Llama(131072, true), 8, 4, ContextParallelCommType.P2P), H100, HardwarePresets.Cluster("dgx-h100", 4), backend: NetworkBackend.Analytical).RingAttention!;
        Assert.Equal(1, inNode.TransferRetainedSpeed);
        // Two channels per network peer, and at c = 4 Transformer Engine's send and receive run unbatched as
        // two kernels: 4 of the 132 SMs.
        Assert.Equal(1 - 4.0 / 132, across.TransferRetainedSpeed, 15);
        // A hop the step hides still costs the step the SMs NCCL holds while it runs: (1 - r) transfer per hop.
        Assert.True(across.ForwardTransferSeconds < across.ForwardStepSeconds);
        Assert.Equal((4 - 1) * (4.0 / 132) * across.ForwardTransferSeconds, across.ForwardExposedSeconds, 15);
        // No network: nothing runs beside the steps.
        Assert.Equal(1, PipelineTraining.Simulate(Config(Llama(32768, true), 8, 4, ContextParallelCommType.P2P), H100).RingAttention!.TransferRetainedSpeed);
    }
}
