using Sim.Models.Workloads;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// The expert-parallel all-to-alls of a mixture-of-experts block (GShard; Megatron-Core's all-to-all token
/// dispatcher): per micro-batch, forward sends each token's hidden vector to the GPUs holding its top-k
/// experts (dispatch) and brings the results back (combine); backward does the same two exchanges for the
/// gradients. The <c>ep</c> GPUs of an expert group are consecutive data-parallel replicas (experts are
/// sharded over the data-parallel ranks, as in Megatron-Core), so the exchange crosses the path between
/// neighbouring replicas: the network beyond a node.
/// <para>
/// Cost, closed form like the tensor-parallel collectives: a pairwise exchange posts ep - 1 messages and
/// puts the GPU's whole outbound volume on its own link, <c>(ep - 1) alpha + V beta</c>, with V from
/// <see cref="MoeTraffic.AllToAllBytesPerGpu"/>. Assumes balanced routing (no capacity overflow, no
/// token dropping) and that every transformer block is an MoE block. With sequence parallelism each
/// tensor rank routes its 1/t of the sequence; without it every tensor rank holds (and routes) the whole
/// sequence.
/// </para>
/// </summary>
internal static class ExpertAllToAll
{
    /// <summary>Tokens one GPU routes per micro-batch.</summary>
    public static double TokensPerGpu(PipelineConfig cfg)
    {
        var tc = cfg.Transformer ?? throw new InvalidOperationException("expert parallelism needs the transformer hyperparameters");
        double tokens = (double)tc.Sequence * cfg.MicroBatch;
        return cfg.SequenceParallel ? tokens / cfg.TensorParallel : tokens;
    }

    /// <summary>Bytes one GPU sends in one dispatch (or combine) of one block for one micro-batch; 0 without expert parallelism.</summary>
    public static double BytesPerGpu(PipelineConfig cfg)
    {
        if (cfg.ExpertParallel <= 1 || cfg.Transformer is not { IsMoe: true } tc) return 0;
        return MoeTraffic.AllToAllBytesPerGpu(TokensPerGpu(cfg), tc.TopK, tc.Hidden, tc.BytesPerElement, cfg.ExpertParallel);
    }

    /// <summary>Seconds of one all-to-all over <paramref name="expertParallel"/> GPUs sending
    /// <paramref name="bytesPerGpu"/> each, on a path of latency <paramref name="alpha"/> and seconds per byte <paramref name="beta"/>.</summary>
    public static double Seconds(int expertParallel, double bytesPerGpu, double alpha, double beta) =>
        Collectives.CollectiveCosts.PairwiseAllToAll(expertParallel, bytesPerGpu, alpha, beta);
}
