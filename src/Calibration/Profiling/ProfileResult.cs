namespace Sim.Calibration.Profiling;

/// <summary>
/// What a profiling run produced: the measurement file, the profiler traces and the step logs,
/// like the printouts a test bench hands back.
/// </summary>
public sealed record ProfileResult(string OutputDirectory, string MeasurementsPath, IReadOnlyList<string> TraceFiles,
    IReadOnlyList<string> StepLogs, string Log);
