namespace Sim.Models.Training.Pipeline;

/// <summary>
/// How context-parallel ranks get each other's keys and values (Megatron-Core <c>cp_comm_type</c>).
/// Both move the same bytes per layer (<see cref="ContextParallelism"/>); they differ in what hides them.
/// </summary>
public enum ContextParallelCommType
{
    /// <summary>Ring attention (<c>p2p</c>, the default): c - 1 K/V blocks passed round the ring, each
    /// transfer under the attention step that runs meanwhile.</summary>
    P2P,

    /// <summary><c>all_gather</c>, as Meta trained Llama 3 ("The Llama 3 Herd of Models",
    /// arXiv:2407.21783, section 3.3.2): K and V all-gathered first, then attention on the local queries;
    /// the all-gather is exposed on the critical path (backward: K/V gathered again and dK/dV
    /// reduce-scattered, both exposed).</summary>
    AllGather,

    /// <summary>PyTorch's experimental <c>context_parallel</c> with rotate method <c>allgather</c>
    /// (torchtitan's default, 2024): K/V all-gathered while the rank's own step runs, then the ring's
    /// kernels on the gathered blocks, the partial outputs merged in FP32, and dK/dV passed round the
    /// ring in FP32 (<see cref="TorchContextParallel"/>).</summary>
    TorchAllGather,
}
