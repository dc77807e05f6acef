using Sim.Core;

namespace Sim.Models.Network;

/// <summary>
/// Flow-level network in the style of SimGrid, like traffic on a motorway network where every car on
/// a road gets an equal lane share: a transfer first waits its path latency, then becomes a flow whose
/// rate is its max-min fair share of every link it crosses, recomputed whenever a flow starts or ends.
///
/// Scaling: (1) every arrival and departure at one instant is batched into a single recomputation
/// (one zero-delay event); (2) only the region the change actually reaches is re-solved: the flows on
/// the changed links, grown by local repair until the max-min conditions hold everywhere
/// (<see cref="ProgressiveFilling"/>, O(region path lengths * log)); (3) completion events
/// are never cancelled: each flow carries a version number, a rate change bumps it and schedules a new
/// completion, and stale events are ignored when they fire; flows whose rate did not change keep their
/// event; (4) a transfer of k copies (k identical transfers on one path, such as the channels of a
/// ring between the same two GPUs) is one flow of weight k, which max-min fairness treats exactly as k
/// flows (see <see cref="FlowGraph"/>); (5) activations and completions due at one instant from one
/// callback (a collective's transfers, one recomputation's completions) share one kernel event, in
/// their original order (<see cref="InstantBatcher"/>). All state lives in arrays indexed by flow id;
/// the per-event path allocates nothing.
/// </summary>
public sealed class FlowNetwork : NetworkBase
{
    private readonly FlowGraph _graph;
    private readonly ProgressiveFilling _filling;
    private double[] _remaining = new double[64], _lastUpdate = new double[64];
    private int[] _version = new int[64], _slotOf = new int[64];
    private int[] _pendingSrc = new int[64], _pendingDst = new int[64], _pendingCopies = new int[64];
    private double[] _pendingBytes = new double[64];
    private int[] _dirty = new int[64];
    private int _dirtyCount;
    private bool _recomputeScheduled;
    // Lowest level at which this instant's changes can alter the allocation (see ProgressiveFilling).
    private double _threshold = double.PositiveInfinity;
    // Activations and completions due at one instant from one callback share a kernel event.
    private readonly InstantBatcher _activations, _completions;
    private readonly Action _recompute;

    public FlowNetwork(Simulation simulation, Topology topology) : base(simulation, topology)
    {
        _graph = new FlowGraph(topology.Bandwidths) { FlowGrown = GrowFlows };
        _filling = new ProgressiveFilling(_graph);
        _activations = new InstantBatcher(simulation, Activate);
        _completions = new InstantBatcher(simulation, Deadline);
        _recompute = Recompute;
    }

    /// <summary>Test hook: called after every recomputation (lets tests compare with a from-scratch solve).</summary>
    internal Action? AfterRecompute;
    internal FlowGraph Graph => _graph;
    internal ProgressiveFilling Filling => _filling;

    /// <summary>Flows currently sharing bandwidth (not counting those still in their latency phase).</summary>
    public int ActiveFlows => _graph.ActiveFlows;
    /// <summary>Max-min recomputations so far (one per batch of simultaneous changes).</summary>
    public long Recomputations { get; private set; }
    /// <summary>Sum over recomputations of the flows re-solved: the real work done.</summary>
    public long FlowsResolved { get; private set; }

    protected override void Start(int slot, double bytes, int src, int dst, int latencyRounds, int copies)
    {
        Span<int> path = stackalloc int[Topology.MaxPathLength];
        int n = Topology.Route(src, dst, path);
        double latency = 0;
        for (int i = 0; i < n; i++) latency += Topology.LinkLatency(path[i]);
        if (n == 0 || bytes == 0) { Simulation.Schedule(latencyRounds * latency, CompleteSlot, slot); return; }
        if (slot >= _pendingSrc.Length)
        {
            int size = Math.Max(slot + 1, _pendingSrc.Length * 2);
            Array.Resize(ref _pendingSrc, size);
            Array.Resize(ref _pendingDst, size); Array.Resize(ref _pendingBytes, size); Array.Resize(ref _pendingCopies, size);
        }
        _pendingSrc[slot] = src; _pendingDst[slot] = dst; _pendingBytes[slot] = bytes; _pendingCopies[slot] = copies;
        _activations.Add(latencyRounds * latency, slot);
    }

    /// <summary>Latency paid: the transfer joins bandwidth sharing, as one flow weighted by its copies.</summary>
    private void Activate(long slotArg)
    {
        int slot = (int)slotArg;
        Span<int> path = stackalloc int[Topology.MaxPathLength];
        int n = Topology.Route(_pendingSrc[slot], _pendingDst[slot], path);
        int f = _graph.Add(path[..n], _pendingCopies[slot]);
        _slotOf[f] = slot;
        _remaining[f] = _pendingBytes[slot];
        _lastUpdate[f] = Simulation.Now;
        _graph.Rate[f] = double.PositiveInfinity; // not yet allocated: always re-solved
        _version[f]++;
        for (int i = 0; i < n; i++)
        {
            // A link with k flows cannot saturate below capacity / k.
            _threshold = Math.Min(_threshold, _graph.Capacity[path[i]] / _graph.LinkWeight[path[i]]);
            MarkDirty(path[i]);
        }
    }

    /// <summary>A completion event fired; ignored if the flow's rate changed since it was scheduled.</summary>
    private void Deadline(long arg)
    {
        int f = (int)(arg & 0xFFFFFFFF), version = (int)(arg >> 32);
        if (_version[f] != version) return;
        _version[f]++;
        _threshold = Math.Min(_threshold, _graph.Rate[f]);
        // Credit the links with exactly what is left, so per-link totals conserve bytes.
        var linkBytes = Counters.LinkBytesArray;
        double left = _remaining[f] * _graph.Weight[f];
        int baseIdx = f * FlowGraph.Stride;
        for (int h = 0; h < _graph.FlowPathLength[f]; h++)
        {
            int l = _graph.FlowLinks[baseIdx + h];
            linkBytes[l] += left;
            MarkDirty(l);
        }
        _remaining[f] = 0;
        int slot = _slotOf[f];
        _graph.Remove(f);
        Complete(slot);
    }

    private void MarkDirty(int link)
    {
        if (_dirtyCount == _dirty.Length) Array.Resize(ref _dirty, _dirty.Length * 2);
        _dirty[_dirtyCount++] = link;
        if (_recomputeScheduled) return;
        _recomputeScheduled = true;
        Simulation.Schedule(0, _recompute);
    }

    /// <summary>Re-solves the region around every link changed at this instant (one batch).</summary>
    private void Recompute()
    {
        _recomputeScheduled = false;
        if (_dirtyCount == 0) return;
        double now = Simulation.Now;
        _filling.Begin(_threshold);
        for (int i = 0; i < _dirtyCount; i++) _filling.AddSeedLink(_dirty[i]);
        _dirtyCount = 0;
        _threshold = double.PositiveInfinity;
        _filling.Solve();
        var flows = _filling.RegionFlows;
        if (flows.Length == 0) return; // the last flows on these links just left
        Recomputations++;
        FlowsResolved += flows.Length;
        var linkBytes = Counters.LinkBytesArray;
        var rate = _graph.Rate;
        foreach (int f in flows)
        {
            // Bring the flow's progress up to now at its old rate, then schedule its new completion.
            double old = _filling.SavedRate(f);
            if (!double.IsPositiveInfinity(old))
            {
                double moved = old * (now - _lastUpdate[f]);
                if (moved > _remaining[f]) moved = _remaining[f];
                _remaining[f] -= moved;
                moved *= _graph.Weight[f];
                int baseIdx = f * FlowGraph.Stride;
                for (int h = 0; h < _graph.FlowPathLength[f]; h++) linkBytes[_graph.FlowLinks[baseIdx + h]] += moved;
            }
            _lastUpdate[f] = now;
            if (rate[f] == old || rate[f] <= 0) continue; // its scheduled completion is still right
            int v = ++_version[f];
            _completions.Add(_remaining[f] / rate[f], ((long)v << 32) | (uint)f);
        }
        AfterRecompute?.Invoke();
    }

    private void GrowFlows(int size)
    {
        Array.Resize(ref _remaining, size); Array.Resize(ref _lastUpdate, size);
        Array.Resize(ref _version, size); Array.Resize(ref _slotOf, size);
    }
}
