namespace Sim.Calibration.Traces;

/// <summary>
/// A measured training step of a whole model at one batch size, like a timed lap of the full
/// track rather than of one corner: forward, backward and optimizer together, with the per-layer
/// forward and backward times measured in separate, instrumented steps. <see cref="WindowMedians"/> (sim-measurements v9,
/// optional): the median step of each short window the configuration was measured in, round-robin with the other
/// configurations; <see cref="MedianSeconds"/> is then their median, and their spread is how much the machine moved it.
/// </summary>
public sealed record ModelStepMeasurement(
    string Model,
    int Batch,
    double ForwardFlops,
    double TrainFlops,
    long Parameters,
    double MedianSeconds,
    IReadOnlyList<double> Samples,
    IReadOnlyList<LayerMeasurement> Layers,
    IReadOnlyList<double>? WindowMedians = null);
