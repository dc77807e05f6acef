namespace Sim.Calibration.Traces;

/// <summary>
/// One timed collective operation at one message size, like one row of a courier's delivery log:
/// which service (backend and collective), how many parties, how many bytes, how long it took,
/// and (when measured) how much CPU work one rank spent on it: on a CPU host the collective's bytes
/// are copied and reduced by the host's cores, so that work competes with computation for them.
/// </summary>
public sealed record CollectiveMeasurement(
    string Backend,
    string Collective,
    int WorldSize,
    long Bytes,
    double Seconds,
    double? CpuSeconds = null);
