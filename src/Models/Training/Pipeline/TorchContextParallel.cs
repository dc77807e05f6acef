using Sim.Models.Compute;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// Context parallelism as PyTorch's experimental <c>context_parallel</c> runs it with rotate method
/// <c>allgather</c> (<see cref="ContextParallelCommType.TorchAllGather"/>; torchtitan's default), read
/// from pytorch/pytorch torch/distributed/tensor/experimental/_attention.py (<c>_templated_ring_attention</c>,
/// <c>_templated_ring_attention_backward</c>, <c>_SDPAMerger</c>, <c>_partial_update</c>; options
/// <c>convert_to_f32 = True</c>, <c>enable_load_balance = True</c>), as stored at pytorch/pytorch 0123248
/// (2025, with flex attention added); the torch 1963fc8 of torchtitan's December 2024 runs was not compared
/// line by line. Like a relay where every runner
/// first photocopies the whole baton pile, then works through it page by page while the corrections
/// are passed on by hand.
/// <para>
/// Kernels: those of the load-balanced ring (<see cref="ContextParallelism.DiagonalStep"/>, then c - 1
/// <see cref="ContextParallelism.LaterStep"/> rectangles). Communication: forward, one all-gather of
/// K/V ((c - 1) block hops) issued before step 0 and waited on before step 1, so only what outlasts
/// step 0 is exposed. Backward: the same all-gather under backward step 0, and the dK/dV partial sums
/// (FP32: twice the bytes of the BF16 K/V block) sent to the ring neighbour after every step and waited
/// on after the next one; the last of the c sends is waited on at once, wholly exposed.
/// </para>
/// <para>
/// Element-wise work (eager PyTorch, counted from the code, bytes read plus written per element; E_q
/// elements of the rank's queries s/c x heads x head dim, E_kv of its K/V as the kernel is handed
/// them). Forward: each later step's output cast to FP32 (2 + 4) and merged,
/// <c>out - sigmoid(lse_b - lse) * (out - out_b)</c> in three FP32 passes (12 + 8 + 12), 38 per E_q on
/// the rank whose steps all cover its full queries (the last rank, which the next collective waits
/// for; the others' half-query steps pay 27 per E_q including <c>_partial_update</c>'s concatenation);
/// the first step's cast and the final cast back (6 + 6 per E_q); K and V made contiguous once (the
/// transposed heads-first view the model hands over: 4 + 4 per E_kv) and concatenated for the rotater
/// before every step but the last (4 + 4 per E_kv). Backward, each of the c steps: dQ added
/// into the FP32 accumulator (2 + 4 + 4 per E_q), dK and dV added into the received FP32 sums and
/// re-concatenated by <c>_partial_update</c> (2 x 13 per E_kv), both concatenated for the send
/// (2 x 8 per E_kv); K and V concatenated before every step but the last (8 per E_kv); once, the
/// three FP32 accumulators zeroed (4 per E_q, 8 per E_kv) and cast back to BF16 (6 per E_q, 12 per E_kv),
/// and K and V made contiguous again (8 per E_kv).
/// </para>
/// </summary>
public static class TorchContextParallel
{
    /// <summary>Bytes of one dK/dV element on the wire and in the accumulators: FP32 (<c>convert_to_f32</c>).</summary>
    public const double GradientBytesPerElement = 4;

    /// <summary>Forward merge of one later step's partial output, bytes per query element (the last rank's).</summary>
    public const double MergeBytesPerQueryElement = 6 + 12 + 8 + 12;
    /// <summary>Forward, once: step 0's output cast to FP32 and the merged output cast back.</summary>
    public const double ForwardCastBytesPerQueryElement = 6 + 6;
    /// <summary>Forward, once: K and V made contiguous, per K/V element.</summary>
    public const double ContiguousBytesPerKvElement = 4 + 4;
    /// <summary>K and V concatenated into one buffer for the rotater, per K/V element.</summary>
    public const double KvConcatBytesPerKvElement = 4 + 4;
    /// <summary>Backward, per step: dQ accumulated in FP32, per query element.</summary>
    public const double GradQueryAccumulateBytesPerQueryElement = 2 + 4 + 4;
    /// <summary>Backward, per step: dK and dV accumulated into the received FP32 sums (13 each) and
    /// concatenated for the send (8 each), per K/V element.</summary>
    public const double GradKvAccumulateBytesPerKvElement = 2 * 13 + 2 * 8;
    /// <summary>Backward, once: the FP32 accumulators zeroed and cast back, per query element.</summary>
    public const double BackwardOnceBytesPerQueryElement = 4 + 6;
    /// <summary>Backward, once: the same for dK and dV, and K and V made contiguous again, per K/V element.</summary>
    public const double BackwardOnceBytesPerKvElement = 8 + 12 + ContiguousBytesPerKvElement;

    /// <summary>Forward element-wise bytes per layer on one rank (no tensor split): <paramref name="queryElements"/>
    /// E_q and <paramref name="kvElements"/> E_kv of one micro-batch, c ring steps.</summary>
    public static double ForwardElementwiseBytes(int contextParallel, double queryElements, double kvElements) =>
        (contextParallel - 1) * (MergeBytesPerQueryElement * queryElements + KvConcatBytesPerKvElement * kvElements)
        + ForwardCastBytesPerQueryElement * queryElements + ContiguousBytesPerKvElement * kvElements;

    /// <summary>Backward element-wise bytes per layer on one rank.</summary>
    public static double BackwardElementwiseBytes(int contextParallel, double queryElements, double kvElements) =>
        contextParallel * (GradQueryAccumulateBytesPerQueryElement * queryElements + GradKvAccumulateBytesPerKvElement * kvElements)
        + (contextParallel - 1) * KvConcatBytesPerKvElement * kvElements
        + BackwardOnceBytesPerQueryElement * queryElements + BackwardOnceBytesPerKvElement * kvElements;

    /// <summary>Forward exposed seconds: the K/V all-gather, (c - 1) hops of <paramref name="kvHopSeconds"/>,
    /// beyond step 0.</summary>
    public static double ForwardExposedSeconds(int contextParallel, double firstStepSeconds, double kvHopSeconds) =>
        CommOverlap.Exposed(firstStepSeconds, ContextParallelism.AllGatherSeconds(contextParallel, kvHopSeconds));

    /// <summary>Backward exposed seconds: the all-gather beyond backward step 0, each of the first c - 1
    /// dK/dV hops (<paramref name="gradHopSeconds"/>) beyond the later step it runs under, and the last hop whole.</summary>
    public static double BackwardExposedSeconds(int contextParallel, double firstStepSeconds, double laterStepSeconds, double kvHopSeconds, double gradHopSeconds) =>
        CommOverlap.Exposed(firstStepSeconds, ContextParallelism.AllGatherSeconds(contextParallel, kvHopSeconds))
        + (contextParallel - 1) * CommOverlap.Exposed(laterStepSeconds, gradHopSeconds)
        + gradHopSeconds;
}
