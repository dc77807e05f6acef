namespace Sim.Calibration.Traces;

/// <summary>
/// One layer of a profiled model at one batch size, like one stage on a production line with its
/// own stopwatch: its forward and backward time, the FLOPs of its forward pass, its parameter
/// count and the bytes of activation it hands to the next layer. The simulator's workload model
/// (an ordered list of layers) can be built from these.
/// </summary>
public sealed record LayerMeasurement(
    string Name,
    string Kind,
    double ForwardFlops,
    long Parameters,
    long OutputBytes,
    double ForwardSeconds,
    double BackwardSeconds);
