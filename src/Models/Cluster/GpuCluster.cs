namespace Sim.Models.Cluster;

/// <summary>
/// The GPUs of a shared cluster and who holds them: <see cref="NodeCount"/> nodes of
/// <see cref="GpusPerNode"/> GPUs, grouped under leaf switches of <see cref="NodesPerLeaf"/> nodes,
/// each node of one <see cref="GpuType"/>. GPU g is GPU g % GpusPerNode of node g / GpusPerNode, the
/// same numbering as the network's endpoints (<see cref="Network.ClusterTopology"/>), so a placement
/// is directly a set of network endpoints.
/// Any set of free GPUs of the right type is a legal placement (no consolidation constraint), so a
/// job fits whenever enough GPUs are free; the policy decides how scattered it ends up, and
/// <see cref="FragmentedFreeGpus"/> shows the scatter the cluster is left with.
/// </summary>
public sealed class GpuCluster
{
    private readonly int[] _free;        // free GPUs per node
    private readonly bool[] _busy;       // per GPU
    private readonly int[] _nodeType;    // type index per node
    private readonly int[] _freeByType;
    private readonly int[] _leafFree;
    private readonly int[] _order;       // scratch for node orderings

    /// <summary>A cluster of <c>nodes</c> x <c>gpusPerNode</c> GPUs, <c>nodesPerLeaf</c> nodes per leaf
    /// switch; <c>nodeTypes</c> gives each node's index into <c>types</c> (null: all of type 0).</summary>
    public GpuCluster(int nodes, int gpusPerNode, int nodesPerLeaf = int.MaxValue, IReadOnlyList<GpuType>? types = null, int[]? nodeTypes = null)
    {
        if (nodes < 1) throw new ArgumentOutOfRangeException(nameof(nodes), nodes, "must be >= 1");
        if (gpusPerNode < 1) throw new ArgumentOutOfRangeException(nameof(gpusPerNode), gpusPerNode, "must be >= 1");
        if (nodesPerLeaf < 1) throw new ArgumentOutOfRangeException(nameof(nodesPerLeaf), nodesPerLeaf, "must be >= 1");
        NodeCount = nodes;
        GpusPerNode = gpusPerNode;
        NodesPerLeaf = Math.Min(nodesPerLeaf, nodes);
        Types = types is { Count: > 0 } ? types.ToArray() : [GpuType.Default];
        _nodeType = nodeTypes ?? new int[nodes];
        if (_nodeType.Length != nodes) throw new ArgumentException($"nodeTypes: expected {nodes} entries, got {_nodeType.Length}", nameof(nodeTypes));
        _free = new int[nodes];
        _busy = new bool[nodes * gpusPerNode];
        _freeByType = new int[Types.Count];
        _leafFree = new int[LeafCount];
        _order = new int[nodes];
        for (int n = 0; n < nodes; n++)
        {
            if ((uint)_nodeType[n] >= (uint)Types.Count) throw new ArgumentException($"nodeTypes[{n}] = {_nodeType[n]} is not a type index", nameof(nodeTypes));
            _free[n] = gpusPerNode;
            _freeByType[_nodeType[n]] += gpusPerNode;
            _leafFree[n / NodesPerLeaf] += gpusPerNode;
        }
        FreeGpus = TotalGpus;
    }

    public int NodeCount { get; }
    public int GpusPerNode { get; }
    public int NodesPerLeaf { get; }
    public int LeafCount => (NodeCount + NodesPerLeaf - 1) / NodesPerLeaf;
    public int TotalGpus => NodeCount * GpusPerNode;
    public IReadOnlyList<GpuType> Types { get; }
    public int FreeGpus { get; private set; }
    public int BusyGpus => TotalGpus - FreeGpus;

    public int NodeOf(int gpu) => gpu / GpusPerNode;
    public int LeafOf(int gpu) => gpu / GpusPerNode / NodesPerLeaf;
    public GpuType TypeOfNode(int node) => Types[_nodeType[node]];
    public int FreeOnNode(int node) => _free[node];

    /// <summary>Index of the type called <paramref name="name"/>, or -1.</summary>
    public int TypeIndex(string name)
    {
        for (int i = 0; i < Types.Count; i++) if (Types[i].Name == name) return i;
        return -1;
    }

    /// <summary>Free GPUs of type <paramref name="type"/> (-1: any type).</summary>
    public int Free(int type) => type < 0 ? FreeGpus : _freeByType[type];

    /// <summary>GPUs of type <paramref name="type"/> in the cluster (-1: all).</summary>
    public int Capacity(int type)
    {
        if (type < 0) return TotalGpus;
        int c = 0;
        for (int n = 0; n < NodeCount; n++) if (_nodeType[n] == type) c += GpusPerNode;
        return c;
    }

    /// <summary>Free GPUs on nodes that are partly busy: capacity that only jobs willing to be
    /// scattered can use (zero when every node is either full or empty).</summary>
    public int FragmentedFreeGpus
    {
        get
        {
            int sum = 0;
            for (int n = 0; n < NodeCount; n++) if (_free[n] > 0 && _free[n] < GpusPerNode) sum += _free[n];
            return sum;
        }
    }

    /// <summary>
    /// Takes <paramref name="gpus"/> free GPUs of type <paramref name="type"/> (-1: any) chosen by
    /// <paramref name="policy"/>, and returns them sorted (node-major, so a ring in this order crosses
    /// each node boundary once). Deterministic: ties go to the lowest node index.
    /// Throws <see cref="InvalidOperationException"/> if fewer are free (callers check <see cref="Free"/>).
    /// </summary>
    public int[] Allocate(int gpus, PlacementPolicy policy, int type = -1)
    {
        if (gpus < 1) throw new ArgumentOutOfRangeException(nameof(gpus), gpus, "must be >= 1");
        if (Free(type) < gpus) throw new InvalidOperationException($"asked for {gpus} GPUs with only {Free(type)} free");
        var taken = new int[gpus];
        int count = 0;
        switch (policy)
        {
            case PlacementPolicy.Spread:
                count = TakeSpread(gpus, type, taken, 0, NodeCount);
                break;
            case PlacementPolicy.TopologyAware:
                int leaf = BestFitLeaf(gpus, type);
                count = leaf >= 0
                    ? TakePacked(gpus, type, taken, 0, leaf * NodesPerLeaf, Math.Min(NodeCount, (leaf + 1) * NodesPerLeaf))
                    : TakePackedByLeaf(gpus, type, taken);
                break;
            default:
                count = TakePacked(gpus, type, taken, 0, 0, NodeCount);
                break;
        }
        if (count != gpus) throw new InvalidOperationException($"placement bug: took {count} of {gpus} GPUs");
        Array.Sort(taken);
        return taken;
    }

    /// <summary>Returns <paramref name="gpus"/> (as given by <see cref="Allocate"/>) to the free pool.</summary>
    public void Release(int[] gpus)
    {
        foreach (int g in gpus)
        {
            if (!_busy[g]) throw new InvalidOperationException($"GPU {g} released twice");
            _busy[g] = false;
            int n = g / GpusPerNode;
            _free[n]++;
            _freeByType[_nodeType[n]]++;
            _leafFree[n / NodesPerLeaf]++;
            FreeGpus++;
        }
    }

    private bool Eligible(int node, int type) => _free[node] > 0 && (type < 0 || _nodeType[node] == type);

    /// <summary>Takes up to <paramref name="k"/> free GPUs of node <paramref name="n"/>.</summary>
    private int TakeFromNode(int n, int k, int[] taken, int at)
    {
        int got = 0;
        for (int g = n * GpusPerNode; g < (n + 1) * GpusPerNode && got < k; g++)
        {
            if (_busy[g]) continue;
            _busy[g] = true;
            taken[at + got++] = g;
        }
        _free[n] -= got;
        _freeByType[_nodeType[n]] -= got;
        _leafFree[n / NodesPerLeaf] -= got;
        FreeGpus -= got;
        return got;
    }

    /// <summary>Takes <paramref name="gpus"/> GPUs from nodes [fromNode, toNode) into taken[at..]; returns how many.</summary>
    private int TakePacked(int gpus, int type, int[] taken, int at, int fromNode, int toNode)
    {
        int count = 0;
        // Whole free nodes first while at least a node's worth remains.
        for (int n = fromNode; n < toNode && gpus - count >= GpusPerNode; n++)
            if (_free[n] == GpusPerNode && (type < 0 || _nodeType[n] == type)) count += TakeFromNode(n, GpusPerNode, taken, at + count);
        while (count < gpus)
        {
            int need = gpus - count;
            // Best fit: the fullest node that still holds the rest; else the emptiest node, and repeat.
            int best = -1, largest = -1;
            for (int n = fromNode; n < toNode; n++)
            {
                if (!Eligible(n, type)) continue;
                if (_free[n] >= need && (best < 0 || _free[n] < _free[best])) best = n;
                if (largest < 0 || _free[n] > _free[largest]) largest = n;
            }
            int pick = best >= 0 ? best : largest;
            if (pick < 0) break;
            count += TakeFromNode(pick, need, taken, at + count);
        }
        return count;
    }

    private int TakePackedByLeaf(int gpus, int type, int[] taken)
    {
        // Emptiest leaves first, so the gang spans as few leaves as possible.
        var order = Enumerable.Range(0, LeafCount).OrderByDescending(l => _leafFree[l]).ThenBy(l => l).ToArray();
        int count = 0;
        foreach (int l in order)
        {
            if (count == gpus) break;
            count += TakePacked(gpus - count, type, taken, count, l * NodesPerLeaf, Math.Min(NodeCount, (l + 1) * NodesPerLeaf));
        }
        return count;
    }

    private int TakeSpread(int gpus, int type, int[] taken, int fromNode, int toNode)
    {
        int count = 0;
        while (count < gpus)
        {
            int m = 0;
            for (int n = fromNode; n < toNode; n++) if (Eligible(n, type)) _order[m++] = n;
            if (m == 0) break;
            // Emptiest nodes first, one GPU each per round; among equally empty nodes, alternate leaves
            // (first node of every leaf, then the second, ...) so the gang spreads over switches too.
            Array.Sort(_order, 0, m, Comparer<int>.Create((a, b) =>
            {
                if (_free[a] != _free[b]) return _free[b].CompareTo(_free[a]);
                int pa = a % NodesPerLeaf, pb = b % NodesPerLeaf;
                return pa != pb ? pa.CompareTo(pb) : a.CompareTo(b);
            }));
            for (int i = 0; i < m && count < gpus; i++) count += TakeFromNode(_order[i], 1, taken, count);
        }
        return count;
    }

    private int BestFitLeaf(int gpus, int type)
    {
        int best = -1;
        for (int l = 0; l < LeafCount; l++)
        {
            int free = 0;
            for (int n = l * NodesPerLeaf; n < Math.Min(NodeCount, (l + 1) * NodesPerLeaf); n++)
                if (type < 0 || _nodeType[n] == type) free += _free[n];
            if (free >= gpus && (best < 0 || _leafFree[l] < _leafFree[best])) best = l;
        }
        return best;
    }
}
