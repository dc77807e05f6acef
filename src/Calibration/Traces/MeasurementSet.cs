/// <summary>
/// Everything one profiler run measured, like a complete test-bench report: the machine, the
/// kernel grid, the model training steps and the collective micro-benchmarks. <see cref="Clock"/>
/// says how kernels and steps were timed: "process_cpu" (CPU time of a one-thread process, immune
/// to other processes on a shared machine) or "wall".
/// </summary>
namespace Sim.Calibration.Traces;

public sealed record MeasurementSet(
    string Created,
    string Clock,
    HardwareDescription Hardware,
    IReadOnlyList<OpMeasurement> Ops,
    IReadOnlyList<ModelStepMeasurement> Models,
    IReadOnlyList<CollectiveMeasurement> Collectives);
