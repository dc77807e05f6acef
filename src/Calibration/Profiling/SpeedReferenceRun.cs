using Sim.Calibration.Traces;

namespace Sim.Calibration.Profiling;

/// <summary>
/// The speed reference (<see cref="SpeedReferenceMeasurement"/>'s mix) timed now, as one more configuration of a round-robin
/// of real runs (<see cref="MeasuredRunner.RunRoundsWithReference"/>): every unit's process CPU seconds, in windows taken
/// between the runs' windows, so that it saw the same time slices as they did. A unit's record holds its wall time
/// (<see cref="StepTimeRecord.Seconds"/>) and its process CPU time (<see cref="StepTimeRecord.StepCpuSeconds"/>).
/// </summary>
public sealed record SpeedReferenceRun(IReadOnlyList<StepTimeRecord> Units)
{
    /// <summary>Each window's median unit in process CPU seconds, in window order.</summary>
    public IReadOnlyList<double> WindowMedians => Medians(u => u.StepCpuSeconds ?? throw new InvalidOperationException(
        $"speed reference unit {u.Iteration} has no CPU time (step_cpu_s)"));

    /// <summary>Each window's median unit in wall seconds: also the share of a core a one-thread process got.</summary>
    public IReadOnlyList<double> WallWindowMedians => Medians(u => u.Seconds);

    /// <summary>The median of the windows' medians: the reference's CPU seconds per unit now.</summary>
    public double MedianSeconds => SpeedReferenceMeasurement.Median(WindowMedians);

    /// <summary>The median of the windows' wall medians.</summary>
    public double WallMedianSeconds => SpeedReferenceMeasurement.Median(WallWindowMedians);

    private double[] Medians(Func<StepTimeRecord, double> seconds) => Units.GroupBy(u => u.Window ?? 0).OrderBy(g => g.Key)
        .Select(g => SpeedReferenceMeasurement.Median(g.Select(seconds).ToArray())).ToArray();
}
