namespace Sim.Calibration.Traces;

/// <summary>
/// How much time one operator name took across a trace, like a timesheet line per task: how often
/// it ran, its total (inclusive) time and its self time (excluding operators it called).
/// </summary>
public sealed record OperatorStatistics(string Name, bool OnGpu, long Count, double TotalUs, double SelfUs);
