using Sim.Models.Network;

namespace Sim.Models.Cluster;

/// <summary>
/// Jobs whose rings share links share their bandwidth, max-min fairly. Each running gang with a
/// training profile and two or more GPUs is a ring in node-major GPU order; each hop (GPU i to GPU
/// i+1, and the last back to the first) is a flow routed over the topology (<see cref="Topology.Route"/>,
/// the same routes and ECMP choices as the detailed network). Whenever the set of running gangs
/// changes, the flows of all gangs that touch a link used by another gang are solved together with
/// the flow-level max-min solver (<see cref="MaxMinFair"/>, progressive filling); a gang alone on its
/// links keeps the rate its own flows get (computed once at placement). A ring moves at the pace of
/// its slowest hop, so a gang's bandwidth is the minimum over its hops.
/// Simplifications (stated, not hidden): every hop is treated as always transmitting, so contention
/// is that of two all-reduces overlapping fully (an upper bound when iterations are mostly compute);
/// hops of a gang whose ring is limited elsewhere keep their max-min rate instead of giving the slack
/// back to other gangs.
/// </summary>
public sealed class RingContention : IClusterNetwork
{
    private readonly Topology _topology;
    private readonly bool _shared;
    private readonly FlowGraph? _graph;
    private readonly ProgressiveFilling? _filling;
    private JobState?[] _owner = new JobState?[64];
    private readonly List<int> _dirtyLinks = [];
    private readonly bool[] _isDirty;
    private readonly HashSet<JobState> _changed = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<int, double> _ideal = new();
    private readonly int[] _compact;

    /// <param name="topology">Endpoint g is GPU g of the cluster.</param>
    /// <param name="shared">False: each gang gets its own uncontended rate (the no-contention baseline).</param>
    public RingContention(Topology topology, bool shared = true)
    {
        _topology = topology ?? throw new ArgumentNullException(nameof(topology));
        _shared = shared;
        _isDirty = new bool[topology.LinkCount];
        _compact = new int[topology.LinkCount];
        Array.Fill(_compact, -1);
        if (shared)
        {
            _graph = new FlowGraph(topology.Bandwidths);
            _filling = new ProgressiveFilling(_graph);
        }
    }

    /// <summary>Incremental max-min solves run so far (one per change of the running set that touched a ring).</summary>
    public long Solves { get; private set; }

    private sealed class Ring
    {
        public required int[][] Hops;
        public int[] Flows = [];
        public double Alone;
    }

    private Ring BuildRing(int[] gpus)
    {
        int p = gpus.Length;
        var hops = new List<int[]>(p);
        Span<int> path = stackalloc int[Topology.MaxPathLength];
        for (int i = 0; i < p; i++)
        {
            int n = _topology.Route(gpus[i], gpus[(i + 1) % p], path);
            if (n > 0) hops.Add(path[..n].ToArray());
        }
        var ring = new Ring { Hops = hops.ToArray() };
        ring.Alone = Solve([ring])[0];
        return ring;
    }

    public void Attach(JobState job)
    {
        if (job.Job.Profile is null || job.Placement is not { Length: >= 2 } gpus) { job.NetworkState = null; return; }
        var ring = BuildRing(gpus);
        job.NetworkState = ring;
        job.RingBandwidth = ring.Alone;
        if (_graph is null) return;
        ring.Flows = new int[ring.Hops.Length];
        for (int h = 0; h < ring.Hops.Length; h++)
        {
            int f = _graph.Add(ring.Hops[h]);
            _graph.Rate[f] = double.PositiveInfinity; // not yet allocated: always re-solved
            if (f >= _owner.Length) Array.Resize(ref _owner, Math.Max(f + 1, 2 * _owner.Length));
            _owner[f] = job;
            ring.Flows[h] = f;
            foreach (int l in ring.Hops[h]) MarkDirty(l);
        }
    }

    public void Detach(JobState job)
    {
        if (job.NetworkState is Ring ring && _graph is not null)
            for (int h = 0; h < ring.Flows.Length; h++)
            {
                foreach (int l in ring.Hops[h]) MarkDirty(l);
                _graph.Remove(ring.Flows[h]);
                _owner[ring.Flows[h]] = null;
            }
        job.NetworkState = null;
    }

    private void MarkDirty(int link)
    {
        if (_isDirty[link]) return;
        _isDirty[link] = true;
        _dirtyLinks.Add(link);
    }

    /// <summary>
    /// Re-prices only what changed, with the flow network's incremental max-min solver (local repair
    /// around the links that gained or lost ring hops; exact, see <see cref="ProgressiveFilling"/>):
    /// only gangs with a hop whose rate was re-solved get a new bandwidth. <paramref name="running"/>
    /// is not scanned.
    /// </summary>
    public void Assign(IReadOnlyList<JobState> running)
    {
        if (_dirtyLinks.Count == 0 || _graph is null || _filling is null)
        {
            foreach (int l in _dirtyLinks) _isDirty[l] = false;
            _dirtyLinks.Clear();
            return;
        }
        Solves++;
        _filling.Begin(0);
        foreach (int l in _dirtyLinks) { _isDirty[l] = false; _filling.AddSeedLink(l); }
        _dirtyLinks.Clear();
        _filling.Solve();
        _changed.Clear();
        foreach (int f in _filling.RegionFlows)
            if (_owner[f] is { } j) _changed.Add(j);
        foreach (var j in _changed)
        {
            var ring = (Ring)j.NetworkState!;
            double min = double.PositiveInfinity;
            foreach (int f in ring.Flows) min = Math.Min(min, _graph.Rate[f]);
            j.RingBandwidth = min;
        }
    }

    /// <summary>Max-min rates of all hops of <paramref name="rings"/> together; returns each ring's slowest hop.</summary>
    private double[] Solve(IReadOnlyList<Ring> rings)
    {
        var capacities = new List<double>();
        var used = new List<int>();
        var paths = new List<int[]>();
        foreach (var r in rings)
            foreach (var hop in r.Hops)
            {
                var compact = new int[hop.Length];
                for (int k = 0; k < hop.Length; k++)
                {
                    int l = hop[k];
                    if (_compact[l] < 0) { _compact[l] = capacities.Count; capacities.Add(_topology.LinkBandwidth(l)); used.Add(l); }
                    compact[k] = _compact[l];
                }
                paths.Add(compact);
            }
        foreach (int l in used) _compact[l] = -1;
        var rates = paths.Count > 0 ? MaxMinFair.Solve(capacities, paths) : [];
        var result = new double[rings.Count];
        int f = 0;
        for (int i = 0; i < rings.Count; i++)
        {
            double min = double.PositiveInfinity;
            for (int h = 0; h < rings[i].Hops.Length; h++) min = Math.Min(min, rates[f++]);
            result[i] = min;
        }
        return result;
    }

    public double IdealBandwidth(int gpus)
    {
        if (gpus < 2) return double.PositiveInfinity;
        gpus = Math.Min(gpus, _topology.EndpointCount);
        if (_ideal.TryGetValue(gpus, out var bw)) return bw;
        var ring = BuildRing(Enumerable.Range(0, gpus).ToArray());
        _ideal[gpus] = ring.Alone;
        return ring.Alone;
    }
}
