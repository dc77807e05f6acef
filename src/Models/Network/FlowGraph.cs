namespace Sim.Models.Network;

/// <summary>
/// Which flows cross which links, kept both ways round, like a railway timetable indexed both by train
/// (its stations) and by station (the trains calling there). Flow ids are recycled through a free list;
/// per-link flow lists are arrays with swap-removal, so adding and removing a flow costs O(path length)
/// and allocates only when a list outgrows its array (amortised, not per event).
///
/// A flow has a weight (multiplicity) k >= 1: it stands for k identical flows - same links, same bytes,
/// same start - like a convoy of k lorries booked as one. Under max-min fairness such flows always get
/// the same rate (the allocation is unique and swapping them changes nothing), so one entry that counts
/// k times on each of its links is exactly equivalent and k times cheaper to keep.
/// </summary>
internal sealed class FlowGraph
{
    public const int Stride = Topology.MaxPathLength;

    public readonly double[] Capacity;
    public readonly int[][] LinkFlows;
    public readonly int[] LinkFlowCount;
    /// <summary>Sum of the weights of the flows on each link: how many flows it really carries.</summary>
    public readonly int[] LinkWeight;
    public int[] FlowLinks = new int[64 * Stride];
    public int[] FlowLinkSlot = new int[64 * Stride];
    public int[] FlowPathLength = new int[64];
    public double[] Rate = new double[64];
    /// <summary>Multiplicity of each flow; its rate is that of each of its members.</summary>
    public int[] Weight = new int[64];
    private int[] _free = new int[64];
    private int _freeCount, _highWater;

    public FlowGraph(ReadOnlySpan<double> capacity)
    {
        Capacity = capacity.ToArray();
        LinkFlows = new int[Capacity.Length][];
        LinkFlowCount = new int[Capacity.Length];
        LinkWeight = new int[Capacity.Length];
    }

    public int LinkCount => Capacity.Length;
    /// <summary>One more than the largest flow id ever handed out.</summary>
    public int FlowIdBound => _highWater;
    public int ActiveFlows => _highWater - _freeCount;

    /// <summary>Registers a flow of <paramref name="weight"/> identical members over <paramref name="path"/>
    /// and returns its id.</summary>
    public int Add(ReadOnlySpan<int> path, int weight = 1)
    {
        int f = _freeCount > 0 ? _free[--_freeCount] : _highWater++;
        if (f >= FlowPathLength.Length) GrowFlows(f + 1);
        FlowPathLength[f] = path.Length;
        Rate[f] = 0;
        Weight[f] = weight;
        for (int h = 0; h < path.Length; h++)
        {
            int l = path[h];
            var list = LinkFlows[l];
            if (list is null) LinkFlows[l] = list = new int[4];
            else if (LinkFlowCount[l] == list.Length) { Array.Resize(ref list, list.Length * 2); LinkFlows[l] = list; }
            FlowLinks[f * Stride + h] = l;
            FlowLinkSlot[f * Stride + h] = LinkFlowCount[l];
            list[LinkFlowCount[l]++] = f;
            LinkWeight[l] += weight;
        }
        return f;
    }

    /// <summary>Unregisters flow <paramref name="f"/>; its id may be handed out again.</summary>
    public void Remove(int f)
    {
        for (int h = 0; h < FlowPathLength[f]; h++)
        {
            int l = FlowLinks[f * Stride + h], slot = FlowLinkSlot[f * Stride + h];
            var list = LinkFlows[l];
            LinkWeight[l] -= Weight[f];
            int last = --LinkFlowCount[l];
            int moved = list[last];
            list[slot] = moved;
            if (moved != f)
                for (int k = 0; k < FlowPathLength[moved]; k++)
                    if (FlowLinks[moved * Stride + k] == l) { FlowLinkSlot[moved * Stride + k] = slot; break; }
        }
        FlowPathLength[f] = 0;
        Rate[f] = 0;
        if (_freeCount == _free.Length) Array.Resize(ref _free, _free.Length * 2);
        _free[_freeCount++] = f;
    }

    private void GrowFlows(int needed)
    {
        int size = Math.Max(needed, FlowPathLength.Length * 2);
        Array.Resize(ref FlowLinks, size * Stride);
        Array.Resize(ref FlowLinkSlot, size * Stride);
        Array.Resize(ref FlowPathLength, size);
        Array.Resize(ref Rate, size);
        Array.Resize(ref Weight, size);
        FlowGrown?.Invoke(size);
    }

    /// <summary>Raised when flow arrays grow, so owners can grow their per-flow arrays alongside.</summary>
    public Action<int>? FlowGrown;
}
