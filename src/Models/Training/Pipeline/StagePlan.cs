using Sim.Models.Collectives;
using Sim.Models.Compute;
using Sim.Models.Memory;
using Sim.Models.Network;
using Sim.Models.Workloads;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// The costs of each virtual stage worked out before the run, like a bill of quantities per building
/// section: its layers, its compute per micro-batch (divided over the tensor group), the tensor-parallel
/// collectives inside it, the bytes it hands to its neighbour, its parameters and its stored activations.
/// Under context parallelism (<see cref="ContextParallelism"/>) all of these are one CP rank's: s/c tokens,
/// with the ring attention's steps in the compute and its unhidden K/V transfers in the communication.
/// <para>
/// Tensor parallelism (Shoeybi et al. 2019): each transformer block does 2 all-reduces of s b h
/// elements in forward and 2 in backward over the t ranks of a node; with sequence parallelism
/// (Korthikanti et al. 2022) each becomes a reduce-scatter plus an all-gather, the same bytes on the
/// wire. Tensor groups sit on one NVSwitch where they have the links to themselves, so these are costed
/// in closed form (ring, <see cref="CollectiveCosts"/>) on the intra-node path's alpha and beta and
/// added to the op they belong to (they are on its critical path). Mixture-of-experts blocks add their
/// expert-parallel all-to-alls the same way (<see cref="ExpertAllToAll"/>).
/// </para>
/// </summary>
internal sealed class StagePlan
{
    public readonly int VirtualStages;
    public readonly int[] Bounds;
    public readonly double[] ForwardCompute, BackwardCompute, RecomputeCompute, ForwardTensorComm, BackwardTensorComm;
    public readonly double[] SendBytes, Parameters, ActivationBytes, RecomputeWorkspace;
    /// <summary>Receiver-side all-gather of a scattered activation or gradient crossing the boundary
    /// between virtual stages vs and vs + 1 (closed form, intra-node); 0 without scatter/gather.</summary>
    public readonly double[] GatherSeconds;
    /// <summary>Weight parameters of the FP8 linears per virtual stage (whole tensor group); 0 without
    /// FP8 training or transformer hyperparameters.</summary>
    public readonly double[] Fp8Parameters;
    /// <summary>Bytes per parameter a ZeRO / distributed-optimizer all-gather moves: 2 (BF16).</summary>
    private const double GatherBytesPerParameter = ModelStateMemory.ParameterBytes;
    private readonly bool _fp8Gather;
    public readonly double TensorAllReduceSeconds;
    /// <summary>Ring attention costs per transformer block (null without context parallelism).</summary>
    public readonly RingAttentionPlan? Ring;
    /// <summary>The first block's TP collective / GEMM pairs under tp_comm_overlap (null without).</summary>
    public readonly TensorCommOverlap? TensorOverlap;
    /// <summary>One expert-parallel all-to-all (dispatch or combine) of one MoE block for one micro-batch
    /// (<see cref="ExpertAllToAll"/>); 0 without expert parallelism.</summary>
    public readonly double ExpertAllToAllSeconds;
    /// <summary>Per layer of the model (index into <c>cfg.Model.Layers</c>): forward seconds, backward seconds
    /// with the layer's recomputation, parameters (whole tensor group; the last layer also carries the tied
    /// LM head's copy) and the bytes a ZeRO-3 all-gather of them moves. ZeRO-3 shards and gathers layer by
    /// layer (FSDP units), so the engine needs each layer's share of its stage.</summary>
    public readonly double[] LayerForward, LayerBackward, LayerParameters, LayerGatherBytes;

    /// <summary>Bytes virtual stage <paramref name="vs"/>'s parameters (whole tensor group) occupy in a
    /// parameter all-gather: 2 per parameter, with <c>fp8_param_gather</c> 1 per FP8-linear weight.</summary>
    public double ParameterGatherBytes(int vs) =>
        Parameters[vs] * GatherBytesPerParameter - (_fp8Gather ? Fp8Parameters[vs] * (GatherBytesPerParameter - Fp8WeightMemory.Fp8Bytes) : 0);

    public StagePlan(PipelineConfig cfg, IComputeModel compute, INetwork? network, ParallelLayout layout)
    {
        var layers = cfg.Model.Layers;
        int t = cfg.TensorParallel, b = cfg.MicroBatch, vs = cfg.VirtualStageCount;
        VirtualStages = vs;
        // One tensor rank's share of each layer: kernel-level models split the shapes, others divide by t.
        int cp = cfg.ContextParallel;
        Ring = cp > 1 ? RingAttentionPlan.For(cfg, compute, network, layout) : null;
        var fwd = new double[layers.Count];
        var bwd = new double[layers.Count];
        for (int i = 0; i < layers.Count; i++)
        {
            var shard = cp > 1 ? ContextParallelism.TokenShard(layers[i], cp) : layers[i];
            fwd[i] = compute.ShardedLayerTime(shard, Phase.Forward, b, t, cfg.SequenceParallel);
            bwd[i] = compute.ShardedLayerTime(shard, Phase.Backward, b, t, cfg.SequenceParallel);
            if (Ring is { } ring && layers[i].Kernels?.Any(k => k is AttentionKernel) == true)
            {
                // The ring's attention steps are compute; the transfers they cannot hide are communication.
                fwd[i] += ring.ForwardComputeSeconds;
                bwd[i] += ring.BackwardComputeSeconds;
            }
        }
        Bounds = StagePartition.Cut(cfg.Model, vs, cfg.Partition, fwd.Zip(bwd, (f, w) => f + w).ToArray(), cfg.LayersPerStage, devices: cfg.Stages);

        double alpha = 0, beta = 0;
        if (network is not null && t > 1)
        {
            int a = layout.Rank(0, 0, 0), c = layout.Rank(1, 0, 0);
            alpha = network.Topology.PathLatency(a, c);
            beta = 1 / network.Topology.PathBandwidth(a, c);
        }
        if (network is not null && cfg.ExpertParallel > 1)
        {
            int a = layout.Rank(0, 0, 0), c = layout.Rank(0, 0, 1); // neighbouring replicas: one expert group
            ExpertAllToAllSeconds = ExpertAllToAll.Seconds(cfg.ExpertParallel, ExpertAllToAll.BytesPerGpu(cfg) / cfg.ContextParallel, // a CP rank routes only its s/c tokens
                network.Topology.PathLatency(a, c), 1 / network.Topology.PathBandwidth(a, c));
        }
        double selectiveShare = cfg.Transformer is { } tc
            ? 4.0 * tc.Sequence * tc.Sequence * tc.Hidden / Transformer.BlockForwardFlops(tc) // QK^T and attention over V
            : 0;

        ForwardCompute = new double[vs]; BackwardCompute = new double[vs]; RecomputeCompute = new double[vs];
        ForwardTensorComm = new double[vs]; BackwardTensorComm = new double[vs];
        SendBytes = new double[vs]; Parameters = new double[vs]; ActivationBytes = new double[vs]; RecomputeWorkspace = new double[vs];
        Fp8Parameters = new double[vs];
        LayerForward = (double[])fwd.Clone(); LayerBackward = (double[])bwd.Clone();
        int? fsdp = cfg.Zero == ZeroStage.Parameters && cfg.GradientGroup > 1 ? cfg.FsdpVersion : null;
        LayerParameters = new double[layers.Count]; LayerGatherBytes = new double[layers.Count];
        _fp8Gather = cfg.Fp8ParamGather;
        double fp8PerBlock = cfg.Fp8 is not null && cfg.Transformer is { } fp8Block ? Sim.Models.Compute.Fp8Recipe.LinearWeightParameters(fp8Block) : 0;
        for (int s = 0; s < vs; s++)
        {
            int blocks = 0;
            double blockActivation = 0;
            for (int i = Bounds[s]; i < Bounds[s + 1]; i++)
            {
                var l = layers[i];
                ForwardCompute[s] += fwd[i];
                BackwardCompute[s] += bwd[i];
                Parameters[s] += l.Parameters;
                bool block = ActivationFootprint.IsTransformerBlock(l);
                if (block) Fp8Parameters[s] += fp8PerBlock;
                ActivationBytes[s] += ActivationFootprint.LayerBytes(l, cfg.Transformer, b, t, cfg.SequenceParallel, cfg.Recompute, fp8: cfg.Fp8 is not null);
                // Full recomputation redoes the transformer blocks' forwards (Megatron-LM checkpoints
                // block inputs); embedding and head run once.
                double recompute = 0;
                if (cfg.Recompute == Recomputation.Full && (block || cfg.Transformer is null)) recompute = fwd[i];
                else if (cfg.Recompute == Recomputation.Selective && block)
                    recompute = Ring is { } r ? r.ForwardSeconds : SelectiveRecompute(compute, l, b, t, cfg.SequenceParallel, fwd[i] * selectiveShare);
                RecomputeCompute[s] += recompute;
                LayerBackward[i] += recompute;
                if (fsdp is { } version)
                {
                    // One tensor rank's share of the layer's parameters, copied around its gathers and reduce-scatter.
                    double copyForward = FsdpCopies.Seconds(compute, l.Parameters / t, FsdpCopies.BytesPerParameter(version, forward: true, cfg.GradientBytesPerParameter));
                    double copyBackward = FsdpCopies.Seconds(compute, l.Parameters / t, FsdpCopies.BytesPerParameter(version, forward: false, cfg.GradientBytesPerParameter));
                    LayerForward[i] += copyForward; ForwardCompute[s] += copyForward;
                    LayerBackward[i] += copyBackward; BackwardCompute[s] += copyBackward;
                }
                LayerParameters[i] = l.Parameters;
                LayerGatherBytes[i] = l.Parameters * GatherBytesPerParameter - (_fp8Gather && block ? fp8PerBlock * (GatherBytesPerParameter - Fp8WeightMemory.Fp8Bytes) : 0);
                if (cfg.Recompute == Recomputation.Full)
                    RecomputeWorkspace[s] = Math.Max(RecomputeWorkspace[s], ActivationFootprint.RecomputeWorkspaceBytes(l, cfg.Transformer, b, t, cfg.SequenceParallel, fp8: cfg.Fp8 is not null));
                if (block) { blocks++; blockActivation = l.OutputActivationBytes * b / cp; }
            }
            // With tied embeddings the last stage holds its own copy of the word embedding (TiedEmbeddingSync).
            if (s == vs - 1)
            {
                double head = TiedEmbeddingSync.HeadCopyParameters(cfg);
                Parameters[s] += head;
                LayerParameters[Bounds[s + 1] - 1] += head;
                LayerGatherBytes[Bounds[s + 1] - 1] += head * GatherBytesPerParameter;
            }
            // DeepSpeed's BF16 optimizer adds each backward's gradients into fp32 buffers: one tensor rank's share.
            if (cfg.Fp32GradientAccumulation) BackwardCompute[s] += Fp32GradientAccumulation.Seconds(compute, Parameters[s] / t);
            // Each context-parallel rank stores, sends and all-reduces only its s/c tokens.
            ActivationBytes[s] /= cp;
            RecomputeWorkspace[s] /= cp;
            double allReduce = TensorCollective(cfg, CollectiveKind.AllReduce, t, blockActivation, alpha, beta);
            if (s == 0) TensorAllReduceSeconds = allReduce;
            int forwardPasses = cfg.Recompute == Recomputation.Full ? 2 : 1; // a full recompute redoes the forward all-reduces
            if (cfg.TensorCommOverlap && t > 1)
            {
                // Each block's collectives pipelined with its GEMMs: only what the GEMMs cannot hide shows.
                for (int i = Bounds[s]; i < Bounds[s + 1]; i++)
                {
                    if (!ActivationFootprint.IsTransformerBlock(layers[i])) continue;
                    var overlap = TensorCommOverlap.For(cp > 1 ? ContextParallelism.TokenShard(layers[i], cp) : layers[i], compute, b, t,
                        layers[i].OutputActivationBytes * b / cp, (kind, bytes) => TensorCollective(cfg, kind, t, bytes, alpha, beta), cfg.TensorOverlapMethod, fp8: cfg.Fp8 is not null);
                    TensorOverlap ??= overlap;
                    ForwardTensorComm[s] += overlap.ForwardExposedSeconds;
                    BackwardTensorComm[s] += overlap.BackwardExposedSeconds + (forwardPasses - 1) * overlap.ForwardExposedSeconds;
                }
            }
            else
            {
                // Sequence parallelism runs each of a block's two all-reduces as Megatron does: a
                // reduce-scatter after the row-parallel GEMM, an all-gather before the next column-parallel
                // one, each timed on its own (NCCL picks ring or NVLS for each; none is an all-reduce).
                double perPoint = cfg.SequenceParallel
                    ? TensorCollective(cfg, CollectiveKind.ReduceScatter, t, blockActivation, alpha, beta) + TensorCollective(cfg, CollectiveKind.AllGather, t, blockActivation, alpha, beta)
                    : allReduce;
                ForwardTensorComm[s] = 2 * blocks * perPoint;
                BackwardTensorComm[s] = 2 * blocks * perPoint * forwardPasses;
            }
            if (Ring is { } ring)
            {
                // Attention blocks only (a layer without an attention kernel runs no ring).
                int ringBlocks = 0;
                for (int i = Bounds[s]; i < Bounds[s + 1]; i++) if (layers[i].Kernels?.Any(k => k is AttentionKernel) == true) ringBlocks++;
                ForwardTensorComm[s] += ringBlocks * ring.ForwardExposedSeconds;
                BackwardTensorComm[s] += ringBlocks * (ring.BackwardExposedSeconds + (forwardPasses - 1) * ring.ForwardExposedSeconds);
            }
            // Per MoE block: dispatch and combine forward, their gradients backward (and the forward's again under full recompute).
            ForwardTensorComm[s] += 2 * blocks * ExpertAllToAllSeconds;
            BackwardTensorComm[s] += 2 * blocks * ExpertAllToAllSeconds * forwardPasses;
            SendBytes[s] = layers[Bounds[s + 1] - 1].OutputActivationBytes * b / cp;
        }
        GatherSeconds = new double[vs];
        if (cfg.ScatterGather && t > 1 && network is not null)
            for (int s = 0; s < vs; s++) GatherSeconds[s] = TensorCollective(cfg, CollectiveKind.AllGather, t, SendBytes[s], alpha, beta);
    }

    /// <summary>A tensor-parallel collective over t ranks of one node: NCCL as it runs (the tuner's pick plus the
    /// NVLS chunk-pipeline fill, <see cref="Collectives.Nccl.NcclCollectiveTime.Predict"/>) where the configuration
    /// carries the node's NCCL view, else the ring's alpha-beta closed form.</summary>
    private static double TensorCollective(PipelineConfig cfg, CollectiveKind kind, int t, double bytes, double alpha, double beta)
    {
        if (t <= 1 || bytes <= 0) return 0;
        if (cfg.TensorGroupNccl is { } node)
            return Collectives.Nccl.NcclCollectiveTime.Predict(kind, node with { Ranks = t, Nodes = 1 }, bytes).Seconds;
        return kind == CollectiveKind.AllReduce ? CollectiveCosts.RingAllReduce(t, bytes, alpha, beta) : CollectiveCosts.RingAllGather(t, bytes, alpha, beta);
    }

    /// <summary>
    /// Selective recomputation redoes the attention core (Korthikanti et al. 2022): with a kernel list,
    /// exactly those kernels (fused attention, or scores, softmax, dropout and context); otherwise
    /// <paramref name="byFlopShare"/>, the layer's forward time times the attention core's FLOP share.
    /// </summary>
    private static double SelectiveRecompute(IComputeModel compute, Layer layer, int b, int t, bool sequenceParallel, double byFlopShare)
    {
        if (layer.Kernels is null) return byFlopShare;
        var core = layer.Kernels.Where(k => k is AttentionKernel || k.Name is "scores" or "scale_mask_softmax" or "attention_dropout" or "context").ToArray();
        return compute.ShardedLayerTime(layer with { Kernels = core }, Phase.Forward, b, t, sequenceParallel);
    }

    /// <summary>Duration of an op on its device (compute plus its tensor-parallel collectives).</summary>
    public double Duration(bool forward, int vs) => forward
        ? ForwardCompute[vs] + ForwardTensorComm[vs]
        : RecomputeCompute[vs] + BackwardCompute[vs] + BackwardTensorComm[vs];
}
