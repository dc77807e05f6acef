/// <summary>
/// One timed collective operation at one message size, like one row of a courier's delivery log:
/// which service (backend and collective), how many parties, how many bytes, how long it took.
/// </summary>
namespace Sim.Calibration.Traces;

public sealed record CollectiveMeasurement(
    string Backend,
    string Collective,
    int WorldSize,
    long Bytes,
    double Seconds);
