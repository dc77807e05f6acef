using Sim.Calibration.Profiling;
using Sim.Calibration.TorchSharp;

namespace Sim.Torch.Tests;

/// <summary>One real TorchSharp profiling run (short grid, 11 repeats, one thread) shared by the tests that
/// read its files; about 15-30 s on a 2-core VM. Null result when torch cannot load outside CI.</summary>
public sealed class TorchSharpProfileFixture : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), $"sim-torchsharp-profile-{Guid.NewGuid():N}");
    public ProfileResult? Result { get; }
    public TimeSpan Elapsed { get; }

    public TorchSharpProfileFixture()
    {
        if (!TorchAvailability.Require(threads: 1)) return;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Result = new TorchSharpProfilerBackend().Profile(new ProfileRequest("cpu", Directory, Threads: 1, Grid: "short", Repeats: 11, Collectives: false));
        Elapsed = watch.Elapsed;
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory)) System.IO.Directory.Delete(Directory, recursive: true);
    }
}
