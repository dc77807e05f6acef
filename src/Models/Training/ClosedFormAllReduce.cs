using Sim.Core;
using Sim.Models.Collectives;
using Sim.Models.Network;

namespace Sim.Models.Training;

/// <summary>
/// An all-reduce whose duration comes from a formula instead of simulated transfers: the alpha-beta cost
/// of the chosen algorithm (<see cref="CollectiveCosts"/>; Thakur, Rabenseifner and Gropp, 2005), with
/// alpha the per-message latency and beta the inverse bandwidth of the slowest path the algorithm uses.
/// Use it for hand-checkable critical paths and for long horizons (weeks of training with failures)
/// where simulating every transfer would cost billions of events. Concurrent calls do not slow each
/// other: no contention, as in ASTRA-sim's analytical backend.
/// </summary>
public sealed class ClosedFormAllReduce : IGradientSync
{
    private readonly Simulation _sim;
    private readonly Func<double, double> _time;
    private readonly string _description;

    /// <summary>Ring all-reduce with per-step latency <paramref name="alphaSeconds"/> and link bandwidth
    /// <paramref name="bandwidthBytesPerSecond"/>: 2(p-1) alpha + 2(p-1)/p n / bandwidth.</summary>
    public ClosedFormAllReduce(Simulation simulation, int workers, double alphaSeconds, double bandwidthBytesPerSecond)
        : this(simulation, workers, Check(workers, alphaSeconds, bandwidthBytesPerSecond) is var beta
            ? bytes => workers == 1 ? 0 : CollectiveCosts.RingAllReduce(workers, bytes, alphaSeconds, beta)
            : throw new InvalidOperationException(),
            $"closed-form ring all-reduce, p={workers}, alpha={alphaSeconds * 1e6:G3} us, {bandwidthBytesPerSecond / 1e9:G4} GB/s")
    {
    }

    private ClosedFormAllReduce(Simulation simulation, int workers, Func<double, double> time, string description)
    {
        _sim = simulation;
        Workers = workers;
        _time = time;
        _description = description;
    }

    public int Workers { get; }

    /// <summary>All-reduce time for <paramref name="bytes"/> per worker.</summary>
    public double Time(double bytes) => _time(bytes);

    public void AllReduce(double bytes, Action<long> onDone, long token) => _sim.Schedule(_time(bytes), onDone, token);

    public string Describe() => _description;

    /// <summary>
    /// The closed form of <paramref name="algorithm"/> on the topology's real paths, as
    /// <see cref="CollectiveEstimator"/> costs it (the same ring orders and channels the simulated
    /// collectives use). Every all-reduce closed form is affine in the message size (alpha terms plus
    /// bytes times beta terms), so two estimates fix the line exactly and each call is O(1).
    /// </summary>
    public static ClosedFormAllReduce ForTopology(Simulation simulation, Topology topology, IReadOnlyList<int> ranks, CollectiveAlgorithm algorithm, int gpusPerNode)
    {
        int p = ranks.Count;
        const double reference = 1 << 30;
        double fixedCost = CollectiveEstimator.Estimate(CollectiveKind.AllReduce, algorithm, topology, ranks, 0, gpusPerNode);
        double perByte = (CollectiveEstimator.Estimate(CollectiveKind.AllReduce, algorithm, topology, ranks, reference, gpusPerNode) - fixedCost) / reference;
        return new ClosedFormAllReduce(simulation, p, n => p == 1 ? 0 : fixedCost + perByte * n,
            $"closed-form {algorithm} all-reduce over {p} ranks of {topology.Name}");
    }

    private static double Check(int workers, double alpha, double bandwidth)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "must be >= 1");
        if (!(alpha >= 0)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "must be >= 0");
        if (!(bandwidth > 0)) throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "must be > 0");
        return 1 / bandwidth;
    }
}
