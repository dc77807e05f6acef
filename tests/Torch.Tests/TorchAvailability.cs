using Sim.Torch;

namespace Sim.Torch.Tests;

/// <summary>Loads torch for a test, or skips with the reason outside CI; under CI=true a missing torch fails.</summary>
internal static class TorchAvailability
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns true when torch is loaded. Outside CI returns false when it cannot load (the caller
    /// returns early); under CI throws, so the test fails with the loader's reason.</summary>
    public static bool Require(int? threads = null)
    {
        if (TorchRuntime.TryEnsureAvailable(out string reason, threads)) return true;
        if (InCi) throw new InvalidOperationException("CI=true but TorchSharp cannot load: " + reason);
        Console.Error.WriteLine("skipping: " + reason);
        return false;
    }
}
