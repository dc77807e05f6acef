namespace Sim.Calibration.Profiling;

/// <summary>
/// Something that can run real kernels on real hardware and write measurements in the
/// "sim-measurements" format, like a socket that any make of dynamometer can plug into. Today:
/// PyTorch through Python; a TorchSharp backend can implement the same contract where that
/// package is available.
/// </summary>
public interface IProfilerBackend
{
    string Name { get; }

    /// <summary>True when this backend can run here; otherwise <paramref name="reason"/> says why.</summary>
    bool IsAvailable(out string reason);

    /// <summary>Runs the profiling grid and writes measurements.json, traces and step logs.</summary>
    ProfileResult Profile(ProfileRequest request, CancellationToken cancellation = default);
}
