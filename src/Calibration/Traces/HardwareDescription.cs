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
    string? Library = null)
{
    /// <summary>Writes the "hardware" object of measurement and profile files (fixed key order; optional
    /// keys only when recorded), the form both readers check against their exact key sets.</summary>
    public void WriteJson(System.Text.Json.Utf8JsonWriter w)
    {
        w.WriteStartObject("hardware");
        w.WriteString("device", Device);
        w.WriteString("cpu_model", CpuModel);
        w.WriteNumber("cores", Cores);
        w.WriteNumber("threads", Threads);
        w.WriteString("torch_version", TorchVersion);
        if (GpuModel is not null) w.WriteString("gpu_model", GpuModel);
        if (Library is not null) w.WriteString("library", Library);
        w.WriteEndObject();
    }
}
