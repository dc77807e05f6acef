namespace Sim.Calibration.Traces;

/// <summary>
/// One layer of a profiled model at one batch size, like one stage on a production line with its
/// own stopwatch: its forward and backward time, the FLOPs of its forward pass, its parameter
/// count and the bytes of activation it hands to the next layer. The simulator's workload model
/// (an ordered list of layers) can be built from these. <see cref="BufferBytes"/> is the bytes of the
/// layer's buffers (BatchNorm's running mean and variance and its batch counter), which DDP broadcasts
/// from rank 0 before every forward; 0 where the measurement does not record them. <see cref="ParameterTensors"/> is how many
/// parameter tensors the layer has (each one an autograd hook and a copy into and out of its bucket in DDP); null where
/// the measurement does not record it (optional key <c>parameter_tensors</c>, written by the profiler since sim-measurements v6);
/// <see cref="BufferTensors"/> likewise counts its buffer tensors (optional key <c>buffer_tensors</c>, v6).
/// </summary>
public sealed record LayerMeasurement(
    string Name,
    string Kind,
    double ForwardFlops,
    long Parameters,
    long OutputBytes,
    double ForwardSeconds,
    double BackwardSeconds,
    long BufferBytes = 0,
    int? ParameterTensors = null,
    int? BufferTensors = null);
