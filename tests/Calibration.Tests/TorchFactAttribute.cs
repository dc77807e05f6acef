using Sim.Calibration.Profiling;

namespace Sim.Calibration.Tests;

/// <summary>
/// A test that needs real PyTorch: skipped with the reason when torch is missing on a developer
/// machine, but run (and failing with the reason) under CI=true, where a missing component is an
/// error rather than an excuse.
/// </summary>
public sealed class TorchFactAttribute : FactAttribute
{
    public TorchFactAttribute()
    {
        if (!TorchEnvironment.IsCi && PythonTorch.TryLocate(out var report) is null)
            Skip = "PyTorch is not installed (" + report + "); install python3-torch libopenblas0-pthread. Under CI=true this test fails instead.";
    }
}

public static class TorchEnvironment
{
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The interpreter with torch; throws with the reason (this is what fails under CI).</summary>
    public static PythonTorch Require() => PythonTorch.Locate();
}
