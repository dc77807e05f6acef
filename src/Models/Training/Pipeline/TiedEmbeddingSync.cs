namespace Sim.Models.Training.Pipeline;

/// <summary>
/// Tied word embeddings under pipeline parallelism. The input embedding sits on the first stage and the
/// LM head that reuses it on the last, so the last stage keeps its own copy of the V x h matrix
/// (Megatron-LM: <c>word_embeddings</c> on the last stage, "initialized to the same values as the first
/// stage's"; DeepSpeed: <c>TiedLayerSpec</c>), steps it with its optimizer like any parameter and
/// reduces its gradient with the stage's data-parallel gradients. After those reductions the two copies'
/// gradients are all-reduced between the first and the last stage, one group per tensor (and context)
/// rank of every replica, before the optimizer step (Megatron-LM <c>_allreduce_embedding_grads</c>, run
/// after the data-parallel reduction in <c>finalize_model_grads</c>; DeepSpeed's pipeline engine
/// <c>ReduceTiedGrads</c> at the end of its schedule). Each rank holds V / t rows (vocabulary-parallel).
/// </summary>
public static class TiedEmbeddingSync
{
    /// <summary>Whether the run has the second copy: a transformer with tied embeddings over more than one stage.</summary>
    public static bool Applies(PipelineConfig cfg) => cfg.Transformer is { TiedEmbeddings: true } && cfg.Stages > 1;

    /// <summary>Parameters of the last stage's copy, whole tensor group (V x h); 0 when there is none.</summary>
    public static double HeadCopyParameters(PipelineConfig cfg) =>
        Applies(cfg) ? (double)cfg.Transformer!.Vocabulary * cfg.Transformer.Hidden : 0;

    /// <summary>Bytes each rank all-reduces with its peer: its V / t rows' gradients.</summary>
    public static double BytesPerRank(PipelineConfig cfg) => HeadCopyParameters(cfg) / cfg.TensorParallel * cfg.GradientBytesPerParameter;

    /// <summary>Every embedding group: the first- and last-stage ranks of one tensor rank, context rank and replica.</summary>
    public static IReadOnlyList<int[]> Groups(ParallelLayout layout)
    {
        var groups = new List<int[]>(layout.Tensor * layout.Context * layout.Data);
        for (int d = 0; d < layout.Data; d++)
            for (int c = 0; c < layout.Context; c++)
                for (int j = 0; j < layout.Tensor; j++)
                    groups.Add([layout.Rank(j, 0, d, c), layout.Rank(j, layout.Pipeline - 1, d, c)]);
        return groups;
    }
}
