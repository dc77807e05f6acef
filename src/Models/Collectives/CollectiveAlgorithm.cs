namespace Sim.Models.Collectives;

/// <summary>How the operation is carried out: which ranks talk to which, in what order, like the
/// route plan of a delivery round (a loop, a tree of depots, pairwise swaps).</summary>
public enum CollectiveAlgorithm
{
    /// <summary>Pipelined ring (NCCL's default for large messages).</summary>
    Ring,
    /// <summary>NCCL's double binary tree (all-reduce only).</summary>
    Tree,
    /// <summary>Recursive halving (reduce-scatter) and doubling (all-gather), Rabenseifner's all-reduce.</summary>
    Rhd,
    /// <summary>Intra-node reduce-scatter, inter-node all-reduce per rail, intra-node all-gather.</summary>
    Hierarchical,
    /// <summary>Every pair at once (all-to-all) or a single transfer (send/recv).</summary>
    Direct,
}
