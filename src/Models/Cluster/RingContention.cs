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
    private readonly int[] _jobsOnLink;
    private readonly Dictionary<int, double> _ideal = new();
    private readonly int[] _compact;

    /// <param name="topology">Endpoint g is GPU g of the cluster.</param>
    /// <param name="shared">False: each gang gets its own uncontended rate (the no-contention baseline).</param>
    public RingContention(Topology topology, bool shared = true)
    {
        _topology = topology ?? throw new ArgumentNullException(nameof(topology));
        _shared = shared;
        _jobsOnLink = new int[topology.LinkCount];
        _compact = new int[topology.LinkCount];
        Array.Fill(_compact, -1);
    }

    public int Solves { get; private set; }

    private sealed class Ring
    {
        public required int[][] Hops;
        public required int[] Links;   // distinct links of all hops
        public double Alone;
    }

    private Ring BuildRing(int[] gpus)
    {
        int p = gpus.Length;
        var hops = new List<int[]>(p);
        Span<int> path = stackalloc int[Topology.MaxPathLength];
        var distinct = new HashSet<int>();
        for (int i = 0; i < p; i++)
        {
            int n = _topology.Route(gpus[i], gpus[(i + 1) % p], path);
            if (n == 0) continue;
            var hop = path[..n].ToArray();
            hops.Add(hop);
            foreach (int l in hop) distinct.Add(l);
        }
        var links = distinct.ToArray();
        Array.Sort(links);
        var ring = new Ring { Hops = hops.ToArray(), Links = links };
        ring.Alone = Solve([ring])[0];
        return ring;
    }

    public void Attach(JobState job)
    {
        if (job.Job.Profile is null || job.Placement is not { Length: >= 2 } gpus) { job.NetworkState = null; return; }
        var ring = BuildRing(gpus);
        job.NetworkState = ring;
        foreach (int l in ring.Links) _jobsOnLink[l]++;
    }

    public void Detach(JobState job)
    {
        if (job.NetworkState is Ring ring)
            foreach (int l in ring.Links) _jobsOnLink[l]--;
        job.NetworkState = null;
    }

    public void Assign(IReadOnlyList<JobState> running)
    {
        var contended = new List<Ring>();
        var owners = new List<JobState>();
        foreach (var j in running)
        {
            if (j.NetworkState is not Ring ring) { j.RingBandwidth = double.PositiveInfinity; continue; }
            bool sharesLink = false;
            if (_shared)
                foreach (int l in ring.Links)
                    if (_jobsOnLink[l] > 1) { sharesLink = true; break; }
            if (!sharesLink) { j.RingBandwidth = ring.Alone; continue; }
            contended.Add(ring);
            owners.Add(j);
        }
        if (contended.Count == 0) return;
        var rates = Solve(contended);
        for (int i = 0; i < owners.Count; i++) owners[i].RingBandwidth = rates[i];
    }

    /// <summary>Max-min rates of all hops of <paramref name="rings"/> together; returns each ring's slowest hop.</summary>
    private double[] Solve(IReadOnlyList<Ring> rings)
    {
        Solves++;
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
