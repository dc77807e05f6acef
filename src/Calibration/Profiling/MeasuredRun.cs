using Sim.Calibration.Traces;

namespace Sim.Calibration.Profiling;

/// <summary>
/// Iteration times of a real distributed training run, like the lap sheet of a real race that a
/// simulated race will be compared against, with the weather on the day: the cores the machine's
/// other processes used per scheduling group while the measured iterations ran, and the cores the
/// run itself used over the same window.
/// </summary>
public sealed record MeasuredRun(string Model, int Batch, int Processes, IReadOnlyList<StepTimeRecord> Steps)
{
    public double MedianSeconds => MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(Steps.Select(s => s.Seconds).ToArray());

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
