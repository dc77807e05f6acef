using Sim.Models.Network;

namespace Sim.Models.Collectives;

/// <summary>
/// The analytical fast path: a collective's time straight from its closed form, without simulating,
/// like reading a journey time off a timetable instead of driving it. Alpha and beta are read off the
/// topology along the edges the algorithm actually uses (largest path latency, smallest path bandwidth
/// among them), so heterogeneous fabrics are costed at their slowest edge. Exact on uncontended uniform
/// paths (tests compare it with the flow-level simulation); it ignores contention and ECMP collisions.
/// </summary>
public static class CollectiveEstimator
{
    public static double Estimate(CollectiveKind kind, CollectiveAlgorithm algorithm, Topology topology, IReadOnlyList<int> ranks, double bytes,
        int gpusPerNode = 1)
    {
        int p = ranks.Count;
        if (p <= 1) return 0;
        int perNode = CollectiveFactory.RanksPerNode(ranks, gpusPerNode);
        ranks = CollectiveFactory.ArrangeRanks(kind, algorithm, topology, ranks, perNode);
        switch (kind, algorithm)
        {
            case (CollectiveKind.AllReduce or CollectiveKind.AllGather or CollectiveKind.ReduceScatter, CollectiveAlgorithm.Ring):
            {
                bool rotated = perNode > 1 && p > perNode;
                int channels = rotated ? perNode : 1;
                // The same ring orders the factory builds (a throw-away instance never started).
                var ring = new RingCollective(new AnalyticalNetwork(new Core.Simulation(), topology), ranks, bytes, kind,
                    RingMode.Aggregated, channels, rotated ? perNode : 1);
                var (alpha, beta) = Edges(topology, ranks, Enumerable.Range(0, channels)
                    .SelectMany(c => Enumerable.Range(0, p).Select(i => (ring.Position(c, i), ring.Position(c, (i + 1) % p)))));
                double n = bytes / channels;
                return kind == CollectiveKind.AllReduce ? CollectiveCosts.RingAllReduce(p, n, alpha, beta) : CollectiveCosts.RingReduceScatter(p, n, alpha, beta);
            }
            case (CollectiveKind.AllReduce or CollectiveKind.AllGather or CollectiveKind.ReduceScatter, CollectiveAlgorithm.Rhd):
            {
                if ((p & (p - 1)) != 0) throw new ArgumentException($"recursive halving-doubling needs a power-of-two rank count, got {p}");
                var pairs = new List<(int, int)>();
                for (int d = 1; d < p; d <<= 1)
                    for (int r = 0; r < p; r++) pairs.Add((r, r ^ d));
                var (alpha, beta) = Edges(topology, ranks, pairs);
                return kind == CollectiveKind.AllReduce ? CollectiveCosts.RhdAllReduce(p, bytes, alpha, beta) : CollectiveCosts.RhdReduceScatter(p, bytes, alpha, beta);
            }
            case (CollectiveKind.AllReduce, CollectiveAlgorithm.Tree):
            {
                var t = new DoubleBinaryTree(p);
                var edges = new List<(int, int)>();
                foreach (var parent in new[] { t.ParentA, t.ParentB })
                    for (int r = 0; r < p; r++)
                        if (parent[r] >= 0) { edges.Add((r, parent[r])); edges.Add((parent[r], r)); }
                var (alpha, beta) = Edges(topology, ranks, edges);
                return CollectiveCosts.TreeAllReduce(p, bytes, alpha, beta);
            }
            case (CollectiveKind.AllReduce, CollectiveAlgorithm.Hierarchical):
            {
                int g = gpusPerNode, nodes = p / g;
                if (g < 1 || p % g != 0) throw new ArgumentException($"gpusPerNode must divide the rank count {p}, got {gpusPerNode}");
                var intra = Enumerable.Range(0, nodes).SelectMany(k => Enumerable.Range(0, g).Select(j => (k * g + j, k * g + (j + 1) % g)));
                var inter = Enumerable.Range(0, g).SelectMany(j => Enumerable.Range(0, nodes).Select(k => (k * g + j, (k + 1) % nodes * g + j)));
                var (ai, bi) = Edges(topology, ranks, intra);
                var (ae, be) = Edges(topology, ranks, inter);
                return CollectiveCosts.HierarchicalAllReduce(nodes, g, bytes, ai, bi, ae, be);
            }
            case (CollectiveKind.Broadcast, CollectiveAlgorithm.Ring):
            {
                var (alpha, beta) = Edges(topology, ranks, Enumerable.Range(0, p - 1).Select(i => (i, i + 1)));
                return CollectiveCosts.PipelinedBroadcast(p, bytes, alpha, beta);
            }
            case (CollectiveKind.AllToAll, CollectiveAlgorithm.Direct or CollectiveAlgorithm.Ring):
            {
                var (alpha, beta) = Edges(topology, ranks, Enumerable.Range(0, p).SelectMany(a => Enumerable.Range(0, p).Where(b => b != a).Select(b => (a, b))));
                return CollectiveCosts.AllToAll(p, bytes, alpha, beta);
            }
            case (CollectiveKind.SendRecv, _) when p == 2:
            {
                var (alpha, beta) = Edges(topology, ranks, [(0, 1)]);
                return CollectiveCosts.SendRecv(bytes, alpha, beta);
            }
            default:
                throw new ArgumentException($"{kind} has no '{algorithm}' algorithm; supported: {string.Join(", ", CollectiveFactory.Supported(kind))}");
        }
    }

    /// <summary>Largest path latency and largest seconds-per-byte over the given rank-index edges.</summary>
    private static (double Alpha, double Beta) Edges(Topology topology, IReadOnlyList<int> ranks, IEnumerable<(int From, int To)> edges)
    {
        double alpha = 0, beta = 0;
        foreach (var (a, b) in edges)
        {
            alpha = Math.Max(alpha, topology.PathLatency(ranks[a], ranks[b]));
            beta = Math.Max(beta, 1 / topology.PathBandwidth(ranks[a], ranks[b]));
        }
        return (alpha, beta);
    }
}
