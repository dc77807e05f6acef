namespace Sim.Models.Network;

/// <summary>
/// Assembles a <see cref="Topology"/> piece by piece, like laying out a model railway before running
/// trains on it: add vertices, cables (two directed links each) and endpoints, then fix it with a router.
/// </summary>
public sealed class TopologyBuilder
{
    private readonly List<string> _names = new();
    private readonly List<NodeKind> _kinds = new();
    private readonly List<int> _from = new(), _to = new(), _endpoints = new();
    private readonly List<double> _bandwidth = new(), _latency = new();

    public TopologyBuilder(string name) => Name = name;

    public string Name { get; }
    public int NodeCount => _names.Count;
    public int LinkCount => _from.Count;
    public int EndpointCount => _endpoints.Count;

    public int AddNode(string name, NodeKind kind)
    {
        _names.Add(name); _kinds.Add(kind);
        return _names.Count - 1;
    }

    /// <summary>Adds one directed link and returns its id. Figures are validated in <see cref="Topology.Validate"/>.</summary>
    public int AddLink(int from, int to, double bandwidth, double latency)
    {
        if ((uint)from >= (uint)_names.Count || (uint)to >= (uint)_names.Count)
            throw new ArgumentOutOfRangeException(nameof(from), $"link {from}->{to} names a node outside [0, {_names.Count})");
        _from.Add(from); _to.Add(to); _bandwidth.Add(bandwidth); _latency.Add(latency);
        return _from.Count - 1;
    }

    /// <summary>Adds a full-duplex cable: link a->b gets the returned id, b->a that id + 1.</summary>
    public int AddCable(int a, int b, double bandwidth, double latency)
    {
        int id = AddLink(a, b, bandwidth, latency);
        AddLink(b, a, bandwidth, latency);
        return id;
    }

    /// <summary>Declares <paramref name="node"/> an endpoint; returns its rank.</summary>
    public int AddEndpoint(int node)
    {
        _endpoints.Add(node);
        return _endpoints.Count - 1;
    }

    /// <summary>Freezes the graph. <paramref name="router"/> gets the frozen topology (a graph router by default).</summary>
    public Topology Build(Func<Topology, IRouter>? router = null)
    {
        var t = new Topology(Name, _names.ToArray(), _kinds.ToArray(), _from.ToArray(), _to.ToArray(),
            _bandwidth.ToArray(), _latency.ToArray(), _endpoints.ToArray());
        t.AttachRouter(router is null ? new GraphRouter(t) : router(t));
        return t;
    }
}
