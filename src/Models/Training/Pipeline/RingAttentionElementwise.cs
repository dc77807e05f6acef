namespace Sim.Models.Training.Pipeline;

/// <summary>
/// The memory-bound work around the ring's attention kernels as Transformer Engine v1.4 runs it
/// (<c>AttnFuncWithCP</c> in transformer_engine/pytorch/attention.py, the fused-attention path of
/// NeMo 24.03), counted from the code in bytes read plus written per element, 16-bit tensors:
/// E_q elements of the rank's queries (s/c x its heads x head dim), E_kv of its K (or of its V).
/// Like the paperwork around each lap of a relay: short, but every lap has it, and the laps wait for
/// the slowest runner's.
/// <para>
/// Forward, on the rank that pays most (the last, whose later steps all take its full queries): each
/// later step first copies the first half of the received K and V into contiguous tensors (2 x 2 per
/// half E_kv: 4 per E_kv); after the c steps, every step's partial output is corrected and added into
/// the rank's output, read step output, read and write output (6 per E_q, c times).
/// </para>
/// <para>
/// Backward, the ring in lockstep (each step waits for the neighbour's dK/dV, which that neighbour
/// accumulates only after its own step), so every later step costs its dearest rank's work: a rank
/// whose step takes the second half of its queries copies that half of Q, O and dO contiguous (3 x 4 per
/// half E_q), adds dQ into the second half of its dQ (6 per half E_q), concatenates the step's dK and dV
/// (2 x 4 per E_kv) and adds them into the travelling dK/dV (2 x 6 per E_kv): 9 per E_q and 20 per E_kv.
/// The diagonal step: dQ added (6 per E_q), dK/dV concatenated and added (20 per E_kv). Once, K and V
/// copied into the first send buffer (2 x 4 per E_kv).
/// </para>
/// <para>
/// Forward, once per layer, around the ring (transformer_engine/pytorch/attention.py at v1.4: FusedAttention.forward
/// and AttnFuncWithCP.forward): Megatron-Core hands the attention its tensors sequence-first (sbhd), and
/// with context parallelism the fused path makes Q, K and V batch-first contiguous copies before the ring
/// (2 + 2 per element: 4 per E_q, 8 per E_kv) and copies the merged output back sequence-first (4 per
/// E_q); the output accumulator is zero-filled (2 per E_q) and K and V are concatenated into the first
/// send buffer (2 x 4 per E_kv): 10 per E_q and 16 per E_kv. (The backward's views of those transposes
/// are not counted: whether a copy materialises depends on the consumer.) Later TE versions run the ring
/// on sbhd directly (v1.12: Q, K and V made contiguous, the output written in place, 4 per E_q less);
/// one count serves every P2P run, v1.4's.
/// </para>
/// Element-wise work does not hide the K/V transfers: the corrections run after the steps and the
/// backward accumulation waits for the step's transfer.
/// </summary>
public static class RingAttentionElementwise
{
    /// <summary>Forward, per later step: the first half of K and V copied contiguous, per E_kv.</summary>
    public const double KvHalfCopyBytesPerKvElement = 2 * 2;
    /// <summary>Forward, per step: the partial output corrected and added into the output, per E_q.</summary>
    public const double CorrectionBytesPerQueryElement = 6;
    /// <summary>Forward, once: Q made batch-first contiguous (4), the output accumulator zero-filled (2) and
    /// the merged output copied back sequence-first (4), per E_q.</summary>
    public const double ForwardOnceBytesPerQueryElement = 4 + 2 + 4;
    /// <summary>Forward, once: K and V made batch-first contiguous (2 x 4) and concatenated into the first
    /// send buffer (2 x 4), per E_kv.</summary>
    public const double ForwardOnceBytesPerKvElement = 2 * 4 + 2 * 4;
    /// <summary>Backward, per later step: Q, O, dO halves copied (6) and dQ's half accumulated (3), per E_q.</summary>
    public const double BackwardLaterStepBytesPerQueryElement = 3 * 2 + 3;
    /// <summary>Backward, per step: dK and dV concatenated (8) and added into the travelling sums (12), per E_kv.</summary>
    public const double BackwardStepBytesPerKvElement = 2 * 4 + 2 * 6;
    /// <summary>Backward, the diagonal step: dQ added, per E_q.</summary>
    public const double BackwardDiagonalBytesPerQueryElement = 6;
    /// <summary>Backward, once: K and V copied into the first send buffer, per E_kv.</summary>
    public const double BackwardSendBufferBytesPerKvElement = 2 * 4;

    /// <summary>Forward element-wise bytes per layer on one rank (before the tensor split).</summary>
    public static double ForwardBytes(int contextParallel, double queryElements, double kvElements) =>
        (contextParallel - 1) * KvHalfCopyBytesPerKvElement * kvElements + contextParallel * CorrectionBytesPerQueryElement * queryElements
        + ForwardOnceBytesPerQueryElement * queryElements + ForwardOnceBytesPerKvElement * kvElements;

    /// <summary>Backward element-wise bytes per layer on one rank (before the tensor split).</summary>
    public static double BackwardBytes(int contextParallel, double queryElements, double kvElements) =>
        (contextParallel - 1) * BackwardLaterStepBytesPerQueryElement * queryElements
        + BackwardDiagonalBytesPerQueryElement * queryElements
        + contextParallel * BackwardStepBytesPerKvElement * kvElements
        + BackwardSendBufferBytesPerKvElement * kvElements;
}
