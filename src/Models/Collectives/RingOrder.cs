using Sim.Models.Network;

namespace Sim.Models.Collectives;

/// <summary>
/// Which order to seat a node's GPUs around a ring, like planning a walk that visits every room once
/// using only doors and never the corridor: NCCL searches the node's topology for rings over direct
/// NVLinks. Here, among all cyclic orders of the first node's GPUs (up to 10 GPUs: 9! orders), the one
/// with the fewest hops on its longest edge, then the most bandwidth on its narrowest edge, wins;
/// ties keep the lexicographically first order, so the result is deterministic. On NVSwitch or PCIe
/// nodes every order is equal and rank order is kept; on DGX-1's hybrid cube mesh it finds an
/// all-NVLink ring. The same order is applied to every node (presets build identical nodes).
/// </summary>
public static class RingOrder
{
    private const int MaxSearchedGpus = 10;

    /// <summary>Ranks regrouped so that each node's block is visited in the best ring order.</summary>
    public static int[] Arrange(Topology topology, IReadOnlyList<int> ranks, int gpusPerNode)
    {
        var result = ranks.ToArray();
        int g = gpusPerNode;
        if (g < 3 || g > MaxSearchedGpus || ranks.Count % g != 0) return result;
        var hops = new int[g, g];
        var bandwidth = new double[g, g];
        Span<int> path = stackalloc int[Topology.MaxPathLength];
        for (int i = 0; i < g; i++)
            for (int j = 0; j < g; j++)
                if (i != j)
                {
                    hops[i, j] = topology.Route(ranks[i], ranks[j], path);
                    bandwidth[i, j] = topology.PathBandwidth(ranks[i], ranks[j]);
                }
        var best = Enumerable.Range(0, g).ToArray();
        var (bestHops, bestBw) = Score(best, hops, bandwidth);
        var current = new int[g];
        var used = new bool[g];
        current[0] = 0; used[0] = true;
        Search(1);
        for (int node = 0; node < ranks.Count / g; node++)
            for (int i = 0; i < g; i++) result[node * g + i] = ranks[node * g + best[i]];
        return result;

        void Search(int depth)
        {
            if (depth == g)
            {
                var (h, bw) = Score(current, hops, bandwidth);
                if (h < bestHops || (h == bestHops && bw > bestBw)) { bestHops = h; bestBw = bw; best = (int[])current.Clone(); }
                return;
            }
            for (int next = 1; next < g; next++)
            {
                if (used[next]) continue;
                used[next] = true; current[depth] = next;
                Search(depth + 1);
                used[next] = false;
            }
        }
    }

    private static (int MaxHops, double MinBandwidth) Score(int[] order, int[,] hops, double[,] bandwidth)
    {
        int maxHops = 0;
        double minBw = double.PositiveInfinity;
        for (int i = 0; i < order.Length; i++)
        {
            int a = order[i], b = order[(i + 1) % order.Length];
            maxHops = Math.Max(maxHops, hops[a, b]);
            minBw = Math.Min(minBw, bandwidth[a, b]);
        }
        return (maxHops, minBw);
    }
}
