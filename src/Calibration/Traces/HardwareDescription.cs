namespace Sim.Calibration.Traces;

/// <summary>
/// The machine a measurement came from, like the plate on an engine: device kind, CPU model,
/// core and thread counts, the torch version that drove it and (when recorded) the library that called
/// torch: "pytorch" (Python) or "torchsharp" (.NET, in-process), with versions. Profiles carry it so that
/// numbers from one machine are never silently used as if they came from another (see
/// <see cref="Profiles.HardwareIdentity"/>).
/// </summary>
public sealed record HardwareDescription(
    string Device,
    string CpuModel,
    int Cores,
    int Threads,
    string TorchVersion,
    string? GpuModel,
    string? Library = null);
