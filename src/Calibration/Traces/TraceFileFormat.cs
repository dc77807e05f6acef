namespace Sim.Calibration.Traces;

/// <summary>
/// The two dialects of the PyTorch profiler's Chrome-trace output, like two editions of one
/// timetable: Kineto's object with a "traceEvents" array (torch 2.x, GPU kernels, "Input Dims"),
/// and the bare JSON array the legacy profiler of torch 1.x writes.
/// </summary>
public enum TraceFileFormat
{
    /// <summary>Not yet known: nothing has been read.</summary>
    Unknown,

    /// <summary>A top-level JSON array of events (torch 1.x legacy profiler).</summary>
    LegacyArray,

    /// <summary>A top-level object whose "traceEvents" property holds the events (Kineto).</summary>
    Kineto,
}
