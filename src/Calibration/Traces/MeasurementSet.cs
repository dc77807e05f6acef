/// <summary>
/// Everything one profiler run measured, like a complete test-bench report: the machine, the
/// kernel grid, the model training steps and the collective micro-benchmarks.
/// </summary>
namespace Sim.Calibration.Traces;

public sealed record MeasurementSet(
    string Created,
    HardwareDescription Hardware,
    IReadOnlyList<OpMeasurement> Ops,
    IReadOnlyList<ModelStepMeasurement> Models,
    IReadOnlyList<CollectiveMeasurement> Collectives);
