namespace Sim.Models.Workloads;

/// <summary>
/// How a kernel's work divides over a tensor-parallel group of t GPUs (Megatron-LM, Shoeybi et al.
/// 2019): a column-parallel GEMM splits its output columns, a row-parallel GEMM its reduction
/// dimension, attention its heads, and element-wise work on split activations its elements.
/// Replicated work (norms, dropout and residual adds on the full hidden state) runs whole on every
/// rank unless sequence parallelism (Korthikanti et al. 2022) splits it along the sequence.
/// </summary>
public enum TensorSplit
{
    /// <summary>Every rank does all of it (split t ways only under sequence parallelism).</summary>
    Replicated,
    /// <summary>Output columns (N) split t ways: QKV, FC1, the vocabulary-parallel LM head; or the
    /// elements of an activation that lives split (GeLU of the FC1 output).</summary>
    Columns,
    /// <summary>Reduction dimension (K) split t ways: attention output projection, FC2.</summary>
    Rows,
}
