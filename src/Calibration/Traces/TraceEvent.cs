namespace Sim.Calibration.Traces;

/// <summary>
/// One span from a profiler trace, like one line in a lab notebook: what ran, on which thread or
/// GPU stream, when it started and how long it took, plus the tensor shapes it saw when recorded.
/// </summary>
public sealed record TraceEvent(
    string Name,
    string Category,
    string Phase,
    double TimestampUs,
    double DurationUs,
    string ProcessId,
    string ThreadId,
    IReadOnlyList<IReadOnlyList<long>>? InputDims,
    long? SequenceNumber,
    long? ExternalId,
    long? Stream)
{
    /// <summary>Kineto categories of work that ran on the GPU rather than on the host.</summary>
    public bool IsGpuActivity =>
        Category is "kernel" or "gpu_memcpy" or "gpu_memset" or "Kernel" or "Memcpy" or "Memset";

    /// <summary>A complete span ("X") has both a start and a duration.</summary>
    public bool IsCompleteSpan => Phase == "X";
}
