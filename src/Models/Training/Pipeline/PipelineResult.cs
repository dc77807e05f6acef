using Sim.Models.Memory;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// One pipeline stage's share of the run: which layers it holds, how long it computed, how long it sat
/// idle inside the pipeline (its bubble), and its memory bill. The bubble fraction is the textbook one
/// (Narayanan et al. 2021): idle time between the iteration's start and the pipeline flush (the last
/// backward on any stage) divided by the stage's own busy time (compute, including recomputation and its
/// tensor-parallel collectives). With balanced stages and free communication it is (p - 1)/m for GPipe
/// and 1F1B and (p - 1)/(v m) for interleaved 1F1B.
/// </summary>
public sealed record StageReport
{
    public required int Stage { get; init; }
    /// <summary>Layer index ranges [first, end) of each of the device's chunks.</summary>
    public required IReadOnlyList<(int First, int End)> Layers { get; init; }
    /// <summary>Seconds of compute (recomputation included) summed over iterations.</summary>
    public required double ComputeSeconds { get; init; }
    /// <summary>Seconds of tensor-parallel collectives inside ops, summed over iterations.</summary>
    public required double TensorCommunicationSeconds { get; init; }
    /// <summary>Idle seconds inside the pipeline span, summed over iterations.</summary>
    public required double BubbleSeconds { get; init; }
    public required double OptimizerSeconds { get; init; }
    public required StageMemory Memory { get; init; }

    public double BusySeconds => ComputeSeconds + TensorCommunicationSeconds;
    public double BubbleFraction => BubbleSeconds / BusySeconds;
}

/// <summary>
/// The outcome of a pipeline / tensor / data parallel run: the usual <see cref="TrainingResult"/>
/// (iteration times, throughput, MFU, breakdown with the bubble filled in) plus per-stage bubble and
/// memory, and warnings for stages that do not fit in device memory.
/// </summary>
public sealed record PipelineResult
{
    public required TrainingResult Training { get; init; }
    public required IReadOnlyList<StageReport> Stages { get; init; }
    public required ParallelLayout Layout { get; init; }
    /// <summary>Closed-form time of one tensor-parallel all-reduce of a block's activation (0 at t = 1).</summary>
    public required double TensorAllReduceSeconds { get; init; }
    /// <summary>Ring attention costs per transformer block under context parallelism; null without.</summary>
    public RingAttentionPlan? RingAttention { get; init; }
    /// <summary>One block's TP collective / GEMM pairs under tp_comm_overlap; null without.</summary>
    public TensorCommOverlap? TensorOverlap { get; init; }
    /// <summary>Closed-form time of one expert-parallel all-to-all (dispatch or combine) of one MoE block
    /// for one micro-batch (0 without expert parallelism); a block does 2 forward and 2 backward.</summary>
    public double ExpertAllToAllSeconds { get; init; }
    /// <summary>Bytes one GPU sends in that all-to-all (<see cref="Workloads.MoeTraffic.AllToAllBytesPerGpu"/>).</summary>
    public double ExpertAllToAllBytesPerGpu { get; init; }

    /// <summary>Mean over stages of the bubble fraction.</summary>
    public double BubbleFraction => Stages.Average(s => s.BubbleFraction);
    public bool Fits => Stages.All(s => s.Memory.Fits);
    /// <summary>The stage with the largest memory bill.</summary>
    public StageMemory PeakMemory => Stages.Select(s => s.Memory).MaxBy(m => m.TotalBytes)!;
    /// <summary>One line per stage that does not fit, with its numbers.</summary>
    public IReadOnlyList<string> MemoryWarnings => Stages.Where(s => !s.Memory.Fits).Select(s => s.Memory.Describe()).ToArray();
}
