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
    /// The closed form of <paramref name="algorithm"/> with alpha and beta read off the topology's real
    /// paths: the slowest of the paths the algorithm uses (ring neighbours; for hierarchical, the
    /// intra-node neighbour and the same-rail neighbour on the next node).
    /// </summary>
    public static ClosedFormAllReduce ForTopology(Simulation simulation, Topology topology, IReadOnlyList<int> ranks, CollectiveAlgorithm algorithm, int gpusPerNode)
    {
        int p = ranks.Count;
        (double alpha, double beta) Worst(IEnumerable<(int, int)> pairs)
        {
            double a = 0, bw = double.PositiveInfinity;
            foreach (var (x, y) in pairs)
            {
                if (x == y) continue;
                a = Math.Max(a, topology.PathLatency(ranks[x], ranks[y]));
                bw = Math.Min(bw, topology.PathBandwidth(ranks[x], ranks[y]));
            }
            return (a, double.IsPositiveInfinity(bw) ? 0 : 1 / bw);
        }
        var ring = Enumerable.Range(0, p).Select(r => (r, (r + 1) % p));
        Func<double, double> time;
        switch (algorithm)
        {
            case CollectiveAlgorithm.Ring:
            {
                var (a, b) = Worst(ring);
                time = n => p == 1 ? 0 : CollectiveCosts.RingAllReduce(p, n, a, b);
                break;
            }
            case CollectiveAlgorithm.Rhd:
            {
                var pairs = new List<(int, int)>();
                for (int d = 1; d < p; d <<= 1) for (int r = 0; r < p; r++) if ((r ^ d) < p) pairs.Add((r, r ^ d));
                var (a, b) = Worst(pairs);
                time = n => p == 1 ? 0 : CollectiveCosts.RhdAllReduce(p, n, a, b);
                break;
            }
            case CollectiveAlgorithm.Tree:
            {
                var (a, b) = Worst(ring);
                time = n => p == 1 ? 0 : CollectiveCosts.TreeAllReduce(p, n, a, b);
                break;
            }
            case CollectiveAlgorithm.Hierarchical:
            {
                int g = Math.Min(gpusPerNode, p);
                int nodes = (p + g - 1) / g;
                var (ai, bi) = Worst(Enumerable.Range(0, g).Select(r => (r, (r + 1) % g)));
                var (ax, bx) = nodes > 1 ? Worst(Enumerable.Range(0, nodes).Select(k => (k * g, ((k + 1) % nodes) * g))) : (0, 0);
                time = n => p == 1 ? 0 : CollectiveCosts.HierarchicalAllReduce(nodes, g, n, ai, bi, ax, bx);
                break;
            }
            default:
                throw new ArgumentException($"all-reduce has no closed form for '{algorithm}'");
        }
        return new ClosedFormAllReduce(simulation, p, time, $"closed-form {algorithm} all-reduce over {p} ranks of {topology.Name}");
    }

    private static double Check(int workers, double alpha, double bandwidth)
    {
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "must be >= 1");
        if (!(alpha >= 0)) throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "must be >= 0");
        if (!(bandwidth > 0)) throw new ArgumentOutOfRangeException(nameof(bandwidth), bandwidth, "must be > 0");
        return 1 / bandwidth;
    }
}
