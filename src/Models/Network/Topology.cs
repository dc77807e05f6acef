using Sim.Models.Hardware;

namespace Sim.Models.Network;

/// <summary>
/// The network as a graph, like a road map: vertices are GPUs, hosts and switches; each directed link
/// is a one-way lane with a bandwidth (bytes/s) and a latency (s). Full-duplex cables are two links.
/// Endpoints (ranks) are the vertices that send and receive; <see cref="Router"/> finds their paths.
/// Stored as parallel arrays indexed by int ids so that million-link fabrics stay compact.
/// </summary>
public sealed class Topology
{
    /// <summary>Longest path any router may produce; flows store paths in fixed slots of this size.</summary>
    public const int MaxPathLength = 16;

    private readonly string[] _nodeNames;
    private readonly NodeKind[] _nodeKinds;
    private readonly int[] _linkFrom, _linkTo, _endpointNode;
    private readonly double[] _linkBandwidth, _linkLatency;
    private IRouter _router = null!;

    internal Topology(string name, string[] nodeNames, NodeKind[] nodeKinds, int[] linkFrom, int[] linkTo,
        double[] linkBandwidth, double[] linkLatency, int[] endpointNode)
    {
        Name = name;
        _nodeNames = nodeNames; _nodeKinds = nodeKinds; _linkFrom = linkFrom; _linkTo = linkTo;
        _linkBandwidth = linkBandwidth; _linkLatency = linkLatency; _endpointNode = endpointNode;
    }

    public string Name { get; }
    public int NodeCount => _nodeNames.Length;
    public int LinkCount => _linkFrom.Length;
    public int EndpointCount => _endpointNode.Length;
    public IRouter Router => _router;

    public string NodeName(int node) => _nodeNames[node];
    public NodeKind NodeKindOf(int node) => _nodeKinds[node];
    public int LinkFrom(int link) => _linkFrom[link];
    public int LinkTo(int link) => _linkTo[link];
    public double LinkBandwidth(int link) => _linkBandwidth[link];
    public double LinkLatency(int link) => _linkLatency[link];
    public int EndpointNode(int endpoint) => _endpointNode[endpoint];
    public string LinkName(int link) => $"{_nodeNames[_linkFrom[link]]}->{_nodeNames[_linkTo[link]]}";

    internal ReadOnlySpan<double> Bandwidths => _linkBandwidth;
    internal ReadOnlySpan<double> Latencies => _linkLatency;

    internal void AttachRouter(IRouter router) => _router = router;

    /// <summary>Links from endpoint src to endpoint dst (checked: indices in range, path valid).</summary>
    public int Route(int src, int dst, Span<int> links)
    {
        if ((uint)src >= (uint)EndpointCount) throw new ArgumentOutOfRangeException(nameof(src), src, $"endpoint must be in [0, {EndpointCount})");
        if ((uint)dst >= (uint)EndpointCount) throw new ArgumentOutOfRangeException(nameof(dst), dst, $"endpoint must be in [0, {EndpointCount})");
        return _router.Route(src, dst, links);
    }

    /// <summary>Sum of per-hop latencies along the routed path (the alpha of alpha-beta).</summary>
    public double PathLatency(int src, int dst)
    {
        Span<int> path = stackalloc int[MaxPathLength];
        int n = Route(src, dst, path);
        double sum = 0;
        for (int i = 0; i < n; i++) sum += _linkLatency[path[i]];
        return sum;
    }

    /// <summary>Smallest link bandwidth along the routed path (1/beta); infinity when src == dst.</summary>
    public double PathBandwidth(int src, int dst)
    {
        Span<int> path = stackalloc int[MaxPathLength];
        int n = Route(src, dst, path);
        double min = double.PositiveInfinity;
        for (int i = 0; i < n; i++) min = Math.Min(min, _linkBandwidth[path[i]]);
        return min;
    }

    /// <summary>
    /// Checks link figures and connectivity; throws <see cref="SpecError"/> naming the field under
    /// <paramref name="path"/>. Connectivity is checked on the graph (every node reachable from
    /// endpoint 0 along directed links, and able to reach it back), in O(nodes + links).
    /// </summary>
    public void Validate(string path = "topology")
    {
        if (EndpointCount == 0) throw new SpecError(path + ".endpoints", "must contain at least one endpoint");
        for (int l = 0; l < LinkCount; l++)
        {
            SpecError.RequirePositive($"{path}.links[{l}].bandwidth", _linkBandwidth[l]);
            SpecError.RequireNonNegative($"{path}.links[{l}].latency", _linkLatency[l]);
        }
        int start = _endpointNode[0];
        foreach (bool reverse in new[] { false, true })
        {
            var reached = Reachable(start, reverse);
            for (int e = 0; e < EndpointCount; e++)
            {
                int node = _endpointNode[e];
                if (!reached[node])
                    throw new SpecError(path, reverse
                        ? $"graph is disconnected: '{_nodeNames[node]}' (endpoint {e}) cannot reach '{_nodeNames[start]}'"
                        : $"graph is disconnected: '{_nodeNames[node]}' (endpoint {e}) is not reachable from '{_nodeNames[start]}'");
            }
        }
    }

    private bool[] Reachable(int start, bool reverse)
    {
        var adjacency = new List<int>[NodeCount];
        for (int l = 0; l < LinkCount; l++)
        {
            int a = reverse ? _linkTo[l] : _linkFrom[l], b = reverse ? _linkFrom[l] : _linkTo[l];
            (adjacency[a] ??= new List<int>()).Add(b);
        }
        var seen = new bool[NodeCount];
        var stack = new Stack<int>();
        stack.Push(start); seen[start] = true;
        while (stack.Count > 0)
        {
            int v = stack.Pop();
            if (adjacency[v] is null) continue;
            foreach (int w in adjacency[v])
                if (!seen[w]) { seen[w] = true; stack.Push(w); }
        }
        return seen;
    }
}
