namespace Sim.Calibration.Traces;

/// <summary>
/// Safety limits for reading untrusted trace files, like the weight limit on a lift: a single
/// event or string above the limit is refused with an error instead of filling memory.
/// </summary>
public sealed record TraceReaderLimits(
    int MaxEventBytes = 1 << 20,
    int ChunkBytes = 1 << 16,
    int MaxNameChars = 4096,
    int MaxInputDims = 4096,
    int MaxDepth = 64)
{
    public static TraceReaderLimits Default { get; } = new();
}
