/// <summary>
/// One measured training iteration, like one lap time on a stopwatch sheet, with (when recorded)
/// the weather during the lap: the CPU demand of the machine's other processes, per scheduling
/// group, in cores.
/// </summary>
namespace Sim.Calibration.Traces;

public sealed record StepTimeRecord(int Iteration, double Seconds, string? Model, int? Batch, int? Rank, int? WorldSize,
    IReadOnlyList<double>? BackgroundCores = null);
