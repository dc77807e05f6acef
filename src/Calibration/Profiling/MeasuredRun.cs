/// <summary>
/// Iteration times of a real distributed training run, like the lap sheet of a real race that a
/// simulated race will be compared against.
/// </summary>
using Sim.Calibration.Traces;

namespace Sim.Calibration.Profiling;

public sealed record MeasuredRun(string Model, int Batch, int Processes, IReadOnlyList<StepTimeRecord> Steps)
{
    public double MedianSeconds => MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(Steps.Select(s => s.Seconds).ToArray());
}
