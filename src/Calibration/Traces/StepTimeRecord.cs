/// <summary>
/// One measured training iteration, like one lap time on a stopwatch sheet.
/// </summary>
namespace Sim.Calibration.Traces;

public sealed record StepTimeRecord(int Iteration, double Seconds, string? Model, int? Batch, int? Rank, int? WorldSize);
