using Sim.Torch;

namespace Sim.Learning.Tests.Torch;

/// <summary>Loads torch for a test, or skips with the reason outside CI; under CI=true a missing torch fails.</summary>
internal static class TorchAvailability
{
    public static bool InCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when torch is loaded (one intra-op thread). Outside CI false when it cannot load (the
    /// caller returns early after this prints why); under CI throws, so the test fails with the reason.</summary>
    public static bool Require()
    {
        if (TorchRuntime.TryEnsureAvailable(out string reason, threads: 1)) return true;
        if (InCi) throw new InvalidOperationException("CI=true but TorchSharp cannot load: " + reason);
        Console.Error.WriteLine("skipping: " + reason);
        return false;
    }
}
