using Sim.Models.Compute;
using Sim.Models.Network;
using Sim.Models.Workloads;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// What one transformer block's ring attention costs one context-parallel rank per micro-batch
/// (<see cref="ContextParallelism"/>): the attention steps (step 0 on the rank's own s/c tokens, the
/// later ones on a neighbour's keys; or the chunk kernels after an all-gather), the K/V block transfer to the
/// ring neighbour, and the part of the transfers the steps cannot hide, forward and backward.
/// All ranks of the ring step in lockstep, so a transfer takes as long as the ring's slowest hop
/// (alpha + bytes / bandwidth of the path between neighbouring CP ranks); every rank sends and receives
/// at once over full-duplex links. Tensor ranks of one CP rank send their own heads' blocks side by
/// side on their own GPUs' paths (one NIC per GPU, as on DGX/HGX nodes).
/// </summary>
public sealed record RingAttentionPlan
{
    public required int ContextParallel { get; init; }
    /// <summary>Ring (p2p) or all-gather of K/V.</summary>
    public ContextParallelCommType CommType { get; init; } = ContextParallelCommType.P2P;
    /// <summary>K/V bytes one rank sends per forward step (K and V of s/c tokens, its heads).</summary>
    public required double ForwardBlockBytes { get; init; }
    /// <summary>Ring step 0: the rank's own s/c queries and keys (a causal square under a causal mask).</summary>
    public required double ForwardFirstStepSeconds { get; init; }
    /// <summary>Each later ring step (an unmasked s/(2c) x s/c rectangle under a causal mask).</summary>
    public required double ForwardStepSeconds { get; init; }
    public required double BackwardFirstStepSeconds { get; init; }
    public required double BackwardStepSeconds { get; init; }
    /// <summary>All-gather CP: the two chunk kernels over the gathered keys, forward and backward.</summary>
    public required double ForwardGatheredSeconds { get; init; }
    public required double BackwardGatheredSeconds { get; init; }
    public required double ForwardTransferSeconds { get; init; }
    /// <summary>A backward step moves the K/V block and its dK/dV partial sums: twice the forward bytes.</summary>
    public required double BackwardTransferSeconds { get; init; }

    /// <summary>PyTorch's context parallel (<see cref="ContextParallelCommType.TorchAllGather"/>): the dK/dV
    /// partial sums of one step in FP32 to the ring neighbour; 0 for the other kinds.</summary>
    public double GradientTransferSeconds { get; init; }
    /// <summary>
    /// Speed an attention step keeps while a ring hop's NCCL send/recv kernel runs beside it: 1 - channels
    /// / SMs (<see cref="CommInterference"/>: each channel's thread block holds an SM). NCCL gives a
    /// communicator one count of p2p channels per peer, the power of two at or above the fewest any peer
    /// allows; a peer behind the network allows 2 ("2 channels per NIC", ncclTopoGetNchannels, NCCL
    /// v2.20.5 src/graph/paths.cc; one NIC per GPU), and a ring's send to its successor and receive from its
    /// predecessor share those channels (one round of the p2p schedule). So a CP group that leaves the node
    /// holds 2 SMs per hop. Inside one node the count follows the communicator's own channel count, which
    /// is not modelled: 1 there, and for compute models without an SM count. Transformer Engine's ring
    /// batches its send and receive into one group only for c = 2 (<see cref="SendRecvKernels"/>); beyond
    /// that each runs as its own kernel on its own two-rank communicator, and the hop holds twice the SMs.
    /// </summary>
    public double TransferRetainedSpeed { get; init; } = 1;
    /// <summary>Element-wise work around the step kernels (output corrections, dQ and dK/dV accumulation,
    /// copies): Transformer Engine's ring (<see cref="RingAttentionElementwise"/>) or PyTorch's context
    /// parallel (<see cref="TorchContextParallel"/>); none counted for the all-gather kind. It hides no transfer.</summary>
    public double ForwardElementwiseSeconds { get; init; }
    public double BackwardElementwiseSeconds { get; init; }

    /// <summary>Forward K/V communication the attention does not hide: ring (c - 1) max(0, transfer - step);
    /// all-gather (c - 1) transfer; PyTorch's all-gather what outlasts step 0.</summary>
    public double ForwardExposedSeconds => CommType switch
    {
        ContextParallelCommType.AllGather => ContextParallelism.AllGatherSeconds(ContextParallel, ForwardTransferSeconds),
        ContextParallelCommType.TorchAllGather => TorchContextParallel.ForwardExposedSeconds(ContextParallel, ForwardFirstStepSeconds, ForwardTransferSeconds),
        _ => ContextParallelism.ExposedSeconds(ContextParallel, ForwardFirstStepSeconds, ForwardStepSeconds, ForwardTransferSeconds, TransferRetainedSpeed),
    };
    /// <summary>Backward: ring against the backward steps; all-gather: K/V gathered again plus dK/dV
    /// reduce-scattered, 2 (c - 1) forward transfers; PyTorch's: the all-gather beyond step 0, the FP32
    /// dK/dV hops beyond the steps they run under, the last hop whole.</summary>
    public double BackwardExposedSeconds => CommType switch
    {
        ContextParallelCommType.AllGather => 2 * ContextParallelism.AllGatherSeconds(ContextParallel, ForwardTransferSeconds),
        ContextParallelCommType.TorchAllGather => TorchContextParallel.BackwardExposedSeconds(ContextParallel, BackwardFirstStepSeconds, BackwardStepSeconds, ForwardTransferSeconds, GradientTransferSeconds, TransferRetainedSpeed),
        _ => ContextParallelism.ExposedSeconds(ContextParallel, BackwardFirstStepSeconds, BackwardStepSeconds, BackwardTransferSeconds, TransferRetainedSpeed),
    };
    /// <summary>Attention kernels of a block on one rank, forward: ring step 0 plus c - 1 later steps and
    /// the element-wise work around them, or the two chunk kernels after the all-gather.</summary>
    public double ForwardComputeSeconds => CommType == ContextParallelCommType.AllGather
        ? ForwardGatheredSeconds
        : ForwardFirstStepSeconds + (ContextParallel - 1) * ForwardStepSeconds + ForwardElementwiseSeconds;
    /// <summary>Attention kernels of a block on one rank, backward.</summary>
    public double BackwardComputeSeconds => CommType == ContextParallelCommType.AllGather
        ? BackwardGatheredSeconds
        : BackwardFirstStepSeconds + (ContextParallel - 1) * BackwardStepSeconds + BackwardElementwiseSeconds;
    /// <summary>The whole forward attention of a block on one rank: its kernels plus the exposed communication.</summary>
    public double ForwardSeconds => ForwardComputeSeconds + ForwardExposedSeconds;
    /// <summary>Forward send volume per block: 2 (c - 1) (s/c) b k_h e.</summary>
    public double ForwardBytesPerLayer => (ContextParallel - 1) * ForwardBlockBytes;
    /// <summary>Backward send volume per block: twice the forward (ring: K/V and dK/dV; all-gather: gather
    /// and reduce-scatter); PyTorch's: the K/V all-gather again plus c FP32 dK/dV blocks.</summary>
    public double BackwardBytesPerLayer => CommType == ContextParallelCommType.TorchAllGather
        ? ForwardBytesPerLayer + ContextParallel * GradientBlockBytes
        : 2 * ForwardBytesPerLayer;
    /// <summary>PyTorch's context parallel: one FP32 dK/dV block; 0 for the other kinds.</summary>
    public double GradientBlockBytes { get; init; }

    /// <summary>The plan of <paramref name="cfg"/> (context parallel &gt; 1, validated); transfers are free
    /// without a <paramref name="network"/>.</summary>
    public static RingAttentionPlan For(PipelineConfig cfg, IComputeModel compute, INetwork? network, ParallelLayout layout)
    {
        var transformer = cfg.Transformer ?? throw new InvalidOperationException("bug: context parallelism without a transformer passed validation");
        int c = cfg.ContextParallel, t = cfg.TensorParallel, b = cfg.MicroBatch;
        var attention = cfg.Model.Layers.SelectMany(l => l.Kernels ?? []).OfType<AttentionKernel>().FirstOrDefault()
            ?? throw new ArgumentException($"pipeline.context_parallel: model '{cfg.Model.Name}' has no fused attention kernel to run as a ring");
        bool torch = cfg.ContextParallelCommType == ContextParallelCommType.TorchAllGather;
        bool ring = cfg.ContextParallelCommType == ContextParallelCommType.P2P;
        var first = ContextParallelism.DiagonalStep(attention, c);
        var later = ContextParallelism.LaterStep(attention, c);
        var gathered = ContextParallelism.GatheredAttention(attention, c);
        double Time(Layer kernels, Phase phase) => compute.ShardedLayerTime(kernels, phase, b, t, cfg.SequenceParallel);
        double blockBytes = ContextParallelism.ForwardBlockBytes(transformer, c, t, b);
        double gradientBytes = torch ? blockBytes * TorchContextParallel.GradientBytesPerElement / transformer.BytesPerElement : 0;
        // Per sample, before the tensor split: the rank's s/c queries of every head, its K/V as the kernel gets them.
        double queryElements = (double)transformer.Sequence / c * transformer.Hidden;
        double kvElements = (double)transformer.Sequence / c * transformer.AttentionKeyValueHeads * transformer.HeadDim;
        double Elementwise(double bytesPerSample) => bytesPerSample <= 0 ? 0
            : Time(ContextParallelism.Elementwise(attention.Name + " context-parallel element-wise", bytesPerSample), Phase.Forward);
        return new RingAttentionPlan
        {
            ContextParallel = c,
            CommType = cfg.ContextParallelCommType,
            ForwardBlockBytes = blockBytes,
            ForwardFirstStepSeconds = Time(first, Phase.Forward),
            ForwardStepSeconds = Time(later, Phase.Forward),
            BackwardFirstStepSeconds = Time(first, Phase.Backward),
            BackwardStepSeconds = Time(later, Phase.Backward),
            ForwardGatheredSeconds = Time(gathered, Phase.Forward),
            BackwardGatheredSeconds = Time(gathered, Phase.Backward),
            ForwardTransferSeconds = SlowestHop(network, layout, blockBytes),
            BackwardTransferSeconds = SlowestHop(network, layout, 2 * blockBytes),
            GradientBlockBytes = gradientBytes,
            TransferRetainedSpeed = RetainedBesideSendRecv(compute, network, layout, SendRecvKernels(cfg.ContextParallelCommType, c)),
            GradientTransferSeconds = torch ? SlowestHop(network, layout, gradientBytes) : 0,
            ForwardElementwiseSeconds = Elementwise(torch ? TorchContextParallel.ForwardElementwiseBytes(c, queryElements, kvElements)
                : ring ? RingAttentionElementwise.ForwardBytes(c, queryElements, kvElements) : 0),
            BackwardElementwiseSeconds = Elementwise(torch ? TorchContextParallel.BackwardElementwiseBytes(c, queryElements, kvElements)
                : ring ? RingAttentionElementwise.BackwardBytes(c, queryElements, kvElements) : 0),
        };
    }

    /// <summary>
    /// NCCL kernels one ring hop runs side by side. Transformer Engine's ring (<see cref="ContextParallelCommType.P2P"/>;
    /// flash_attn_p2p_communicate in transformer_engine/pytorch/attention.py, v1.4) batches the send to its
    /// successor and the receive from its predecessor with batch_isend_irecv only when c = 2 (or
    /// NVTE_BATCH_MHA_P2P_COMM is set); otherwise it posts a lone isend and a lone irecv, and PyTorch runs a
    /// lone point-to-point operation on a two-rank communicator of its own, keyed by the pair of ranks
    /// ("keep the old two-rank behavior", ProcessGroupNCCL::pointToPoint, getKeySendRecv, pytorch/pytorch
    /// torch/csrc/distributed/c10d/ProcessGroupNCCL.cpp): the send and the receive are two kernels, each
    /// with its own channels. The other kinds count one.
    /// </summary>
    public static int SendRecvKernels(ContextParallelCommType commType, int contextParallel) =>
        commType == ContextParallelCommType.P2P && contextParallel > 2 ? 2 : 1;

    private static double RetainedBesideSendRecv(IComputeModel compute, INetwork? network, ParallelLayout layout, int kernels)
    {
        if (network is null || compute is not KernelCompute k || !LeavesTheNode(network.Topology, layout.ContextGroup(0, 0, 0))) return 1;
        return new CommInterference((double)kernels * CommInterference.NcclChannelsPerNic / k.Facts.StreamingMultiprocessors, 0).ComputeBoundSpeed;
    }

    /// <summary>Whether any hop of the ring is routed through a NIC or a fabric switch (leaves its node).</summary>
    private static bool LeavesTheNode(Topology topology, int[] ring)
    {
        Span<int> links = stackalloc int[Topology.MaxPathLength];
        for (int i = 0; i < ring.Length; i++)
        {
            int n = topology.Route(ring[i], ring[(i + 1) % ring.Length], links);
            for (int l = 0; l < n; l++)
                if (OffNode(topology.NodeKindOf(topology.LinkFrom(links[l]))) || OffNode(topology.NodeKindOf(topology.LinkTo(links[l])))) return true;
        }
        return false;
    }

    private static bool OffNode(NodeKind kind) => kind is NodeKind.Nic or NodeKind.Switch;

    private static double SlowestHop(INetwork? network, ParallelLayout layout, double bytes)
    {
        if (network is null) return 0;
        var ring = layout.ContextGroup(0, 0, 0);
        double slowest = 0;
        for (int i = 0; i < ring.Length; i++)
        {
            int from = ring[i], to = ring[(i + 1) % ring.Length];
            slowest = Math.Max(slowest, network.Topology.PathLatency(from, to) + bytes / network.Topology.PathBandwidth(from, to));
        }
        return slowest;
    }
}
