namespace Sim.Models.Network;

/// <summary>
/// Shortest-path routing on an arbitrary graph, like asking "how many junctions from here to there?"
/// once per destination and remembering the answer: one breadth-first search backwards from each
/// destination gives every vertex its hop distance; a path then walks downhill, choosing among equally
/// short next hops by <see cref="Ecmp"/>. Searches are cached per destination (bounded memory), so a
/// path costs O(length * degree), not a search per message. For regular fabrics at large scale use the
/// structural routers (<see cref="FatTree"/>, <see cref="RailOptimized"/>), which need no search at all.
/// </summary>
public sealed class GraphRouter : IRouter
{
    private readonly Topology _topology;
    private readonly int[] _outStart, _outLinks, _inStart, _inLinks;
    private readonly Dictionary<int, int[]> _distanceTo = new();
    private readonly int _cacheCapacity;
    private readonly object _gate = new();

    public GraphRouter(Topology topology)
    {
        _topology = topology;
        (_outStart, _outLinks) = Csr(topology, l => topology.LinkFrom(l));
        (_inStart, _inLinks) = Csr(topology, l => topology.LinkTo(l));
        // Keep at most ~128 MB of distance arrays.
        _cacheCapacity = Math.Max(16, 32_000_000 / Math.Max(1, topology.NodeCount));
    }

    private static (int[] start, int[] links) Csr(Topology t, Func<int, int> key)
    {
        var start = new int[t.NodeCount + 1];
        for (int l = 0; l < t.LinkCount; l++) start[key(l) + 1]++;
        for (int v = 0; v < t.NodeCount; v++) start[v + 1] += start[v];
        var fill = (int[])start.Clone();
        var links = new int[t.LinkCount];
        for (int l = 0; l < t.LinkCount; l++) links[fill[key(l)]++] = l; // ascending link id per node: deterministic
        return (start, links);
    }

    public int Route(int src, int dst, Span<int> links)
    {
        int from = _topology.EndpointNode(src), to = _topology.EndpointNode(dst);
        if (from == to) return 0;
        int[] dist = DistancesTo(to);
        if (dist[from] < 0)
            throw new InvalidOperationException($"no path from '{_topology.NodeName(from)}' to '{_topology.NodeName(to)}'");
        if (dist[from] > links.Length)
            throw new InvalidOperationException($"path from '{_topology.NodeName(from)}' to '{_topology.NodeName(to)}' has {dist[from]} hops, more than {links.Length}");
        int v = from, n = 0;
        while (v != to)
        {
            int want = dist[v] - 1, candidates = 0;
            for (int i = _outStart[v]; i < _outStart[v + 1]; i++)
                if (dist[_topology.LinkTo(_outLinks[i])] == want) candidates++;
            int pick = Ecmp.Pick(src, dst, n, candidates);
            for (int i = _outStart[v]; i < _outStart[v + 1]; i++)
            {
                int l = _outLinks[i];
                if (dist[_topology.LinkTo(l)] != want) continue;
                if (pick-- == 0) { links[n++] = l; v = _topology.LinkTo(l); break; }
            }
        }
        return n;
    }

    private int[] DistancesTo(int target)
    {
        lock (_gate)
        {
            if (_distanceTo.TryGetValue(target, out var cached)) return cached;
            var dist = new int[_topology.NodeCount];
            Array.Fill(dist, -1);
            var queue = new int[_topology.NodeCount];
            int head = 0, tail = 0;
            dist[target] = 0; queue[tail++] = target;
            while (head < tail)
            {
                int v = queue[head++];
                for (int i = _inStart[v]; i < _inStart[v + 1]; i++)
                {
                    int u = _topology.LinkFrom(_inLinks[i]);
                    if (dist[u] >= 0) continue;
                    dist[u] = dist[v] + 1; queue[tail++] = u;
                }
            }
            if (_distanceTo.Count >= _cacheCapacity) _distanceTo.Clear();
            _distanceTo[target] = dist;
            return dist;
        }
    }
}
