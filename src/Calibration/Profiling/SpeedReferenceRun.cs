using Sim.Calibration.Traces;

namespace Sim.Calibration.Profiling;

/// <summary>
/// The speed reference (<see cref="SpeedReferenceMeasurement"/>'s mix) timed now, as one more configuration of a round-robin
/// of real runs (<see cref="MeasuredRunner.RunRoundsWithReference"/>): every unit's process CPU seconds, in windows taken
/// between the runs' windows, so that it saw the same time slices as they did.
/// </summary>
public sealed record SpeedReferenceRun(IReadOnlyList<StepTimeRecord> Units)
{
    /// <summary>Each window's median unit, in window order.</summary>
    public IReadOnlyList<double> WindowMedians => Units.GroupBy(u => u.Window ?? 0).OrderBy(g => g.Key)
        .Select(g => SpeedReferenceMeasurement.Median(g.Select(u => u.Seconds).ToArray())).ToArray();

    /// <summary>The median of the windows' medians: the reference's CPU seconds per unit now.</summary>
    public double MedianSeconds => SpeedReferenceMeasurement.Median(WindowMedians);
}
