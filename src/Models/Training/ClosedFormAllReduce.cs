using Sim.Core;

namespace Sim.Models.Training;

/// <summary>
/// An all-reduce whose duration comes from a formula instead of simulated transfers: the ring
/// algorithm's alpha-beta cost 2(p-1) alpha + 2(p-1)/p n beta (Thakur, Rabenseifner and Gropp, 2005),
/// with alpha the per-step latency and beta the inverse bandwidth of the slowest ring link. Use it for
/// hand-checkable critical paths and quick what-ifs; the network backends model contention.
/// Concurrent calls do not slow each other (no contention), exactly like the analytical backend.
/// </summary>
public sealed class ClosedFormAllReduce : IGradientSync
{
    private readonly Simulation _sim;

    public ClosedFormAllReduce(Simulation simulation, int workers, double alphaSeconds, double bandwidthBytesPerSecond)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "must be >= 1");
        if (!(alphaSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(alphaSeconds), alphaSeconds, "must be >= 0");
        if (!(bandwidthBytesPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(bandwidthBytesPerSecond), bandwidthBytesPerSecond, "must be > 0");
        _sim = simulation;
        Workers = workers;
        Alpha = alphaSeconds;
        Bandwidth = bandwidthBytesPerSecond;
    }

    public int Workers { get; }
    public double Alpha { get; }
    public double Bandwidth { get; }

    /// <summary>The ring all-reduce time for <paramref name="bytes"/> per worker.</summary>
    public double Time(double bytes)
    {
        int p = Workers;
        if (p == 1) return 0;
        return 2.0 * (p - 1) * Alpha + 2.0 * (p - 1) / p * bytes / Bandwidth;
    }

    public void AllReduce(double bytes, Action<long> onDone, long token) => _sim.Schedule(Time(bytes), onDone, token);

    public string Describe() => $"closed-form ring all-reduce, p={Workers}, alpha={Alpha * 1e6:G3} us, {Bandwidth / 1e9:G4} GB/s";
}
