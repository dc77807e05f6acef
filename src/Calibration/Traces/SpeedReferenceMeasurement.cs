namespace Sim.Calibration.Traces;

/// <summary>
/// The machine's speed when the profile was measured (sim-measurements v10, <c>speed_reference</c>): a small fixed CPU
/// benchmark (<see cref="Mix"/>: two 256x256 matmuls, two adds of 2^20 floats, 256 adds of 64 floats, one thread) timed
/// with the process CPU clock in its own process as one more configuration of the model-step round-robin
/// (<see cref="WindowMedians"/>: each window's median unit), and in the profiler's process right before and after the
/// kernel grid. Like the thermometer reading written beside a lab measurement: `sim validate ddp` times the same mix
/// again beside its DDP runs, and the ratio says how much faster or slower the machine's cores run now
/// (<see cref="Validation.MachineSpeed"/>). The parts' window medians say whether compute-, memory- and dispatch-bound
/// work drift alike.
/// </summary>
public sealed record SpeedReferenceMeasurement(
    string Mix,
    string Clock,
    IReadOnlyList<double> WindowMedians,
    IReadOnlyList<double> WallWindowMedians,
    IReadOnlyList<double> MatmulWindowMedians,
    IReadOnlyList<double> ElementwiseWindowMedians,
    IReadOnlyList<double> DispatchWindowMedians,
    double KernelGridBeforeSeconds,
    double KernelGridAfterSeconds)
{
    /// <summary>The mix the Python profiler times (sim_profile.py SPEED_REFERENCE_MIX); another mix is another reference.</summary>
    public const string CurrentMix = "mm256x2+add1Mx2+add64x256 v1";

    /// <summary>The reference's model name in sim-steplog rows (sim_profile.py SPEED_REFERENCE).</summary>
    public const string StepLogModel = "speed-reference";

    /// <summary>The keys of the JSON object, in the order the writer writes them.</summary>
    public static readonly string[] Keys =
    [
        "mix", "clock", "window_medians_s", "wall_window_medians_s", "matmul_window_medians_s", "elementwise_window_medians_s",
        "dispatch_window_medians_s", "kernel_grid_before_s", "kernel_grid_after_s",
    ];

    /// <summary>The reference's CPU time per unit while the model steps were measured: the median of the windows' medians.</summary>
    public double MedianSeconds => Median(WindowMedians);

    internal static double Median(IReadOnlyList<double> values) => MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(values.ToArray());
}
