namespace Sim.Models.Training.Pipeline;

/// <summary>
/// The per-device order of forward and backward passes for each schedule, like a shift roster: it says
/// in which order a worker handles jobs, not when (that is decided by when each job's input arrives).
/// <list type="bullet">
/// <item>GPipe: F0..F(m-1), then B0..B(m-1).</item>
/// <item>1F1B (PipeDream-Flush): device s first runs min(p - s - 1, m) warm-up forwards, then alternates
/// one forward and one backward, then runs the remaining backwards (cool-down).</item>
/// <item>Interleaved 1F1B (Megatron-LM, SC'21): each device owns v chunks; forwards go through groups of
/// p micro-batches chunk by chunk (chunk 0 for micro-batches 0..p-1, then chunk 1 for the same ones ...),
/// backwards the same with chunks in reverse. Warm-up is 2(p - s - 1) + (v - 1)p forwards (all of them
/// when m = p), then 1F1B, then cool-down; this is Megatron's accounting, and m must be a multiple of p.</item>
/// </list>
/// </summary>
public static class PipelineSchedule
{
    public static PipelineOp[] Order(PipelineScheduleKind kind, int stages, int microbatches, int virtualStages, int device)
    {
        Validate(kind, stages, microbatches, virtualStages);
        if ((uint)device >= (uint)stages) throw new ArgumentOutOfRangeException(nameof(device), device, $"must be in [0, {stages})");
        int p = stages, m = microbatches, v = virtualStages;
        int total = m * v;
        int warmup = kind switch
        {
            PipelineScheduleKind.GPipe => m,
            PipelineScheduleKind.OneFOneB => Math.Min(p - device - 1, m),
            _ => m == p ? total : Math.Min(2 * (p - device - 1) + (v - 1) * p, total),
        };
        var ops = new PipelineOp[2 * total];
        int n = 0, f = 0, b = 0;
        for (; f < warmup; f++) ops[n++] = Forward(f, p, v);
        while (f < total) { ops[n++] = Forward(f++, p, v); ops[n++] = Backward(b++, p, v); }
        while (b < total) ops[n++] = Backward(b++, p, v);
        return ops;
    }

    /// <summary>Throws an ArgumentException naming the offending setting.</summary>
    public static void Validate(PipelineScheduleKind kind, int stages, int microbatches, int virtualStages)
    {
        if (stages < 1) throw new ArgumentException($"pipeline.stages: must be >= 1, got {stages}");
        if (microbatches < 1) throw new ArgumentException($"pipeline.microbatches: must be >= 1, got {microbatches}");
        if (virtualStages < 1) throw new ArgumentException($"pipeline.virtual_stages: must be >= 1, got {virtualStages}");
        if (kind != PipelineScheduleKind.Interleaved && virtualStages != 1)
            throw new ArgumentException($"pipeline.virtual_stages: {kind} runs one chunk per device, got {virtualStages}; use schedule interleaved");
        if (kind == PipelineScheduleKind.Interleaved && microbatches % stages != 0)
            throw new ArgumentException($"pipeline.microbatches: the interleaved schedule needs a multiple of pipeline.stages ({stages}), got {microbatches}");
    }

    /// <summary>Megatron's mapping of the k-th forward of a device to (micro-batch, chunk).</summary>
    private static PipelineOp Forward(int k, int p, int v)
    {
        int inGroup = k % (p * v);
        return new PipelineOp(true, k / (p * v) * p + inGroup % p, inGroup / p);
    }

    /// <summary>The k-th backward: same micro-batch order, chunks last to first.</summary>
    private static PipelineOp Backward(int k, int p, int v)
    {
        int inGroup = k % (p * v);
        return new PipelineOp(false, k / (p * v) * p + inGroup % p, v - 1 - inGroup / p);
    }

    /// <summary>
    /// Activation sets (micro-batch, chunk) a device holds at most, by the schedule's accounting:
    /// GPipe m; 1F1B min(p - s, m); interleaved min(warm-up + 1, m v) with Megatron's warm-up. On device 0
    /// of the interleaved schedule this is p v + p - 1 chunks of L/(p v) layers: L (1 + (p - 1)/(p v))
    /// layers, the factor of Korthikanti et al. 2022, Section 4.2.3.
    /// </summary>
    public static int PeakInFlight(PipelineScheduleKind kind, int stages, int microbatches, int virtualStages, int device)
    {
        Validate(kind, stages, microbatches, virtualStages);
        int p = stages, m = microbatches, v = virtualStages;
        return kind switch
        {
            PipelineScheduleKind.GPipe => m,
            PipelineScheduleKind.OneFOneB => Math.Min(p - device, m),
            _ => m == p ? m * v : Math.Min(2 * (p - device - 1) + (v - 1) * p + 1, m * v),
        };
    }
}
