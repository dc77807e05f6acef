using Sim.Calibration.Profiling;
using Sim.Calibration.TorchSharp;

namespace Sim.Cli.Commands;

/// <summary>The profiler backends by name, and the default per device: TorchSharp in-process on the CPU (no
/// Python needed), PyTorch through Python on CUDA (no TorchSharp CUDA package is served here).</summary>
public static class ProfilerBackends
{
    public static readonly string[] Names = ["auto", TorchSharpProfilerBackend.BackendName, "pytorch"];

    /// <summary>Throws <see cref="ArgumentException"/> naming the option for an unknown name.</summary>
    public static IProfilerBackend Choose(string name, string device) => name switch
    {
        "auto" => device == "cpu" ? new TorchSharpProfilerBackend() : new PyTorchProfilerBackend(),
        TorchSharpProfilerBackend.BackendName => new TorchSharpProfilerBackend(),
        "pytorch" => new PyTorchProfilerBackend(),
        _ => throw new ArgumentException($"--backend: expected one of {string.Join(", ", Names)}, got '{name}'"),
    };
}
