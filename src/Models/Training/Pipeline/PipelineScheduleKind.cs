namespace Sim.Models.Training.Pipeline;

/// <summary>The order in which a pipeline stage runs its micro-batches' forward and backward passes.</summary>
public enum PipelineScheduleKind
{
    /// <summary>GPipe (Huang et al., NeurIPS 2019): all forwards, then all backwards, then flush.</summary>
    GPipe,
    /// <summary>1F1B / PipeDream-Flush (Narayanan et al., ICML 2021): warm-up forwards, then one
    /// forward one backward, then cool-down backwards; at most p - s micro-batches in flight.</summary>
    OneFOneB,
    /// <summary>Interleaved 1F1B (Narayanan et al., SC'21): v model chunks per device, bubble / v.</summary>
    Interleaved,
}
