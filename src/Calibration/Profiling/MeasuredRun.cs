using Sim.Calibration.Traces;

namespace Sim.Calibration.Profiling;

/// <summary>
/// Iteration times of a real distributed training run, like the lap sheet of a real race that a
/// simulated race will be compared against, with the weather on the day: the cores the machine's
/// other processes used per scheduling group while the measured iterations ran, and the cores the
/// run itself used over the same window.
/// </summary>
/// <remarks>Measured in several short windows (<see cref="StepTimeRecord.Window"/>, taken round-robin with other
/// configurations), the run's figure is the median of its windows' medians: a burst of other load or a change of clock
/// that spoils one window moves it little, and <see cref="WindowMedians"/>' spread shows how noisy the machine was.
/// Measured in one window, it is the median step.</remarks>
public sealed record MeasuredRun(string Model, int Batch, int Processes, IReadOnlyList<StepTimeRecord> Steps)
{
    public double MedianSeconds => WindowMedians.Count > 1 ? Median(WindowMedians) : Median(Steps.Select(s => s.Seconds).ToArray());

    /// <summary>Each measurement window's median step in window order (one entry when the steps carry no window).</summary>
    public IReadOnlyList<double> WindowMedians => Steps.GroupBy(s => s.Window ?? 0).OrderBy(g => g.Key)
        .Select(g => Median(g.Select(s => s.Seconds).ToArray())).ToArray();

    private static double Median(IReadOnlyList<double> values) => MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(values.ToArray());

    /// <summary>Other scheduling groups' CPU use in cores (empty: none measured or none running).</summary>
    public IReadOnlyList<double> BackgroundCores => First?.BackgroundCores ?? [];

    /// <summary>Cores the run's own processes used during the measured window (NaN when not recorded).</summary>
    public double JobCores => First?.JobCores ?? double.NaN;

    /// <summary>Cores the rest of the run's own scheduling group used (its launcher; NaN when not recorded).</summary>
    public double SessionCores => First?.SessionCores ?? double.NaN;

    /// <summary>CPU seconds all the run's processes (compute and communication threads) spent per
    /// measured step, mean over the steps (NaN when not recorded).</summary>
    public double StepCpuSeconds => First?.StepCpuSeconds ?? double.NaN;

    private StepTimeRecord? First => Steps.Count > 0 ? Steps[0] : null;
}
