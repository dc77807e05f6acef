using Sim.Calibration.Profiling;

namespace Sim.Calibration.Tests;

/// <summary>
/// Runs the real profiler once (short grid, one thread, with the gloo all-reduce benchmark) for
/// every test that needs fresh measurements from this machine, like one test drive shared by all
/// the inspectors. Null when torch is missing (those tests are then skipped, or fail under CI).
/// </summary>
public sealed class ProfilerRunFixture : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Lazy<ProfileResult> _result;

    public ProfilerRunFixture()
    {
        _result = new Lazy<ProfileResult>(() =>
        {
            TorchEnvironment.Require();
            return new PyTorchProfilerBackend().Profile(new ProfileRequest("cpu", _dir.Path, Threads: 1, Grid: "short"));
        });
    }

    public ProfileResult Result => _result.Value;

    public void Dispose() => _dir.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ProfilerRunCollection : ICollectionFixture<ProfilerRunFixture>
{
    public const string Name = "real profiler run";
}
