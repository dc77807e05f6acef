namespace Sim.Models.Network;

/// <summary>
/// Max-min fair rates by progressive filling, like pouring water into connected glasses: all flows'
/// rates rise together; the link whose fair share (remaining capacity / unfrozen flows) is smallest
/// saturates first and freezes its flows at that share; their consumption is subtracted from their
/// other links, and filling continues. A heap of link fair shares with lazy (versioned) entries makes
/// this O(sum of path lengths * log links).
///
/// Incremental use: after a change, only part of the allocation can move. Filling is identical in the
/// old and new problem up to the first level at which a changed link could saturate; call it theta.
/// For a departing flow theta is its old rate (its links only get emptier, and none of them saturated
/// below that rate); for an arriving flow it is at least min over its links of capacity / flows (a
/// link with k flows cannot saturate below capacity / k). Every flow whose old rate is below theta
/// keeps it exactly; the others are re-solved on the residual capacities, and only those reachable
/// from the changed links through other re-solved flows can change at all. So a change re-solves the
/// region it can influence, not the whole connected component. All scratch space is reused between
/// calls: solving allocates nothing once warmed up.
/// </summary>
internal sealed class ProgressiveFilling
{
    private readonly FlowGraph _g;
    private readonly double[] _remaining;
    private readonly int[] _unfrozen, _linkVersion, _linkMark;
    private int[] _flowMark = new int[64];
    private int _epoch;
    private double _threshold;
    private int[] _compLinks = new int[64], _compFlows = new int[64];
    private int _compLinkCount, _compFlowCount;
    private HeapEntry[] _heap = new HeapEntry[64];
    private int _heapCount;

    private struct HeapEntry { public double Share; public int Link, Version; }

    public ProgressiveFilling(FlowGraph g)
    {
        _g = g;
        _remaining = new double[g.LinkCount];
        _unfrozen = new int[g.LinkCount];
        _linkVersion = new int[g.LinkCount];
        _linkMark = new int[g.LinkCount];
    }

    public ReadOnlySpan<int> ComponentFlows => _compFlows.AsSpan(0, _compFlowCount);
    public ReadOnlySpan<int> ComponentLinks => _compLinks.AsSpan(0, _compLinkCount);

    /// <summary>Starts a new region collection; seeds are added with <see cref="AddSeedLink"/>. Flows
    /// whose current rate is below <paramref name="threshold"/> keep it (see the class comment); new
    /// flows must carry rate +infinity so that they are always re-solved.</summary>
    public void BeginComponent(double threshold = 0)
    {
        // Rates that should tie with the threshold may differ from it by rounding; keeping one of them
        // fixed would deny it its share, so the cut sits a relative 1e-9 below (re-solving more is safe).
        _threshold = threshold * (1 - 1e-9);
        if (++_epoch == int.MaxValue) { Array.Clear(_linkMark); Array.Clear(_flowMark); _epoch = 1; }
        _compLinkCount = 0; _compFlowCount = 0;
        if (_flowMark.Length < _g.FlowIdBound) Array.Resize(ref _flowMark, Math.Max(_g.FlowIdBound, _flowMark.Length * 2));
    }

    public void AddSeedLink(int link)
    {
        if (_linkMark[link] == _epoch) return;
        _linkMark[link] = _epoch;
        Push(ref _compLinks, ref _compLinkCount, link);
    }

    /// <summary>
    /// Grows the seeded links into the region to re-solve: every flow at or above the threshold on a
    /// collected link, every link of such a flow. Each collected link's residual capacity (capacity
    /// minus the rates of the flows that keep theirs) and count of flows to re-solve are set here.
    /// </summary>
    public void CollectComponent()
    {
        var rate = _g.Rate;
        for (int i = 0; i < _compLinkCount; i++)
        {
            int l = _compLinks[i];
            var list = _g.LinkFlows[l];
            double residual = _g.Capacity[l];
            int unfrozen = 0;
            for (int k = 0; k < _g.LinkFlowCount[l]; k++)
            {
                int f = list![k];
                if (rate[f] < _threshold) { residual -= rate[f]; continue; }
                unfrozen++;
                if (_flowMark[f] == _epoch) continue;
                _flowMark[f] = _epoch;
                Push(ref _compFlows, ref _compFlowCount, f);
                int baseIdx = f * FlowGraph.Stride;
                for (int h = 0; h < _g.FlowPathLength[f]; h++)
                {
                    int l2 = _g.FlowLinks[baseIdx + h];
                    if (_linkMark[l2] == _epoch) continue;
                    _linkMark[l2] = _epoch;
                    Push(ref _compLinks, ref _compLinkCount, l2);
                }
            }
            _remaining[l] = residual;
            _unfrozen[l] = unfrozen;
        }
    }

    /// <summary>Max-min fair rates for the collected component, written to <see cref="FlowGraph.Rate"/>.</summary>
    public void Solve()
    {
        _heapCount = 0;
        for (int i = 0; i < _compLinkCount; i++)
        {
            int l = _compLinks[i];
            if (_unfrozen[l] > 0) HeapPush(Math.Max(0, _remaining[l]) / _unfrozen[l], l, ++_linkVersion[l]);
        }
        // A flow is frozen once its mark moves past the component epoch (epoch + 1 would collide with
        // the next call, so frozen flows are marked with the negated epoch).
        while (_heapCount > 0)
        {
            var top = HeapPop();
            int l = top.Link;
            if (top.Version != _linkVersion[l] || _unfrozen[l] == 0) continue;
            double share = top.Share;
            var list = _g.LinkFlows[l];
            for (int k = 0; k < _g.LinkFlowCount[l]; k++)
            {
                int f = list![k];
                if (_flowMark[f] != _epoch) continue; // frozen already
                _flowMark[f] = -_epoch;
                _g.Rate[f] = share;
                int baseIdx = f * FlowGraph.Stride;
                for (int h = 0; h < _g.FlowPathLength[f]; h++)
                {
                    int l2 = _g.FlowLinks[baseIdx + h];
                    _remaining[l2] -= share;
                    if (--_unfrozen[l2] > 0 && l2 != l)
                        HeapPush(Math.Max(0, _remaining[l2]) / _unfrozen[l2], l2, ++_linkVersion[l2]);
                }
            }
        }
    }

    private static void Push(ref int[] array, ref int count, int value)
    {
        if (count == array.Length) Array.Resize(ref array, array.Length * 2);
        array[count++] = value;
    }

    private void HeapPush(double share, int link, int version)
    {
        if (_heapCount == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        int i = _heapCount++;
        var e = new HeapEntry { Share = share, Link = link, Version = version };
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            if (!Less(e, _heap[parent])) break;
            _heap[i] = _heap[parent];
            i = parent;
        }
        _heap[i] = e;
    }

    private HeapEntry HeapPop()
    {
        var top = _heap[0];
        var last = _heap[--_heapCount];
        int i = 0;
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _heapCount) break;
            if (child + 1 < _heapCount && Less(_heap[child + 1], _heap[child])) child++;
            if (!Less(_heap[child], last)) break;
            _heap[i] = _heap[child];
            i = child;
        }
        if (_heapCount > 0) _heap[i] = last;
        return top;
    }

    // Ties broken by link id so that the result never depends on insertion order.
    private static bool Less(in HeapEntry a, in HeapEntry b) => a.Share < b.Share || (a.Share == b.Share && a.Link < b.Link);
}
