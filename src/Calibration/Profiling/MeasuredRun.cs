/// <summary>
/// Iteration times of a real distributed training run, like the lap sheet of a real race that a
/// simulated race will be compared against, with the weather on the day: the CPU demand of the
/// machine's other processes per scheduling group (cores), measured just before and after the run.
/// </summary>
using Sim.Calibration.Traces;

namespace Sim.Calibration.Profiling;

public sealed record MeasuredRun(string Model, int Batch, int Processes, IReadOnlyList<StepTimeRecord> Steps)
{
    public double MedianSeconds => MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(Steps.Select(s => s.Seconds).ToArray());

    /// <summary>Other scheduling groups' CPU demand in cores (empty: none measured or none running).</summary>
    public IReadOnlyList<double> BackgroundCores => Steps.Count > 0 ? Steps[0].BackgroundCores ?? [] : [];
}
