namespace Sim.Models.Training.Pipeline;

/// <summary>
/// How a framework pipelines the sequence-parallel collectives with their GEMMs
/// (<see cref="TensorCommOverlap"/>): two implementations with different chunking, different SM costs
/// and different coverage of the backward pass.
/// </summary>
public enum TensorOverlapMethod
{
    /// <summary>Megatron-Core <c>tp_comm_overlap</c> with Transformer Engine's userbuffers: all-gathers
    /// as a ring exchange in t chunks (1 SM), forward reduce-scatters pipelined in 4 chunks on 16 SMs,
    /// backward collectives overlapped in bulk with the other gradient GEMM (16 SMs): every collective
    /// of the block is overlapped forward and backward.</summary>
    UserBuffers,

    /// <summary>TorchTitan async TP (PyTorch symmetric memory, Inductor's micro-pipeline TP pass):
    /// all-gathers and reduce-scatters fused with their matmuls in t chunks moved by the copy engines
    /// (no SMs), but in backward only the all-gathers are fused: the reduce-scatters there take a sum of
    /// matmuls and stay exposed (pytorch/pytorch PR #149946).</summary>
    SymmetricMemory,
}
