/// <summary>
/// The machine a measurement came from, like the plate on an engine: device kind, CPU model,
/// core and thread counts, and the PyTorch version that drove it. Profiles carry it so that
/// numbers from one machine are never silently used as if they came from another.
/// </summary>
namespace Sim.Calibration.Traces;

public sealed record HardwareDescription(
    string Device,
    string CpuModel,
    int Cores,
    int Threads,
    string TorchVersion,
    string? GpuModel);
