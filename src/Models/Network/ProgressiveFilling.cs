using Sim.Core.Collections;

namespace Sim.Models.Network;

/// <summary>
/// Max-min fair rates by progressive filling, like pouring water into connected glasses: all flows'
/// rates rise together; the link whose fair share (remaining capacity / unfrozen flows) is smallest
/// saturates first and freezes its flows at that share; their consumption is subtracted from their
/// other links, and filling continues. A heap of link fair shares with lazy (versioned) entries makes
/// this O(sum of path lengths * log links). Shares only rise as flows freeze, so an entry is refreshed
/// lazily when it reaches the top rather than on every change: the order of saturation, and so every
/// rate, is exactly that of refreshing eagerly.
///
/// Incremental use ("local repair"): after flows arrive or leave, the solver re-solves a small region
/// R of flows on the residual capacities left by everyone else (whose rates stay put), then checks the
/// max-min characterisation on R's links: every flow must cross a saturated link on which no flow is
/// faster (Bertsekas and Gallager, Data Networks, 6.5.2). Any flow that fails - or that is faster than
/// an R flow on the link where that R flow froze - joins R, and R is re-solved, until nothing fails.
/// Since the max-min allocation is the only one with that property, the result is exact; R only grows
/// as far as the change actually propagates. R starts from the flows on the changed links whose rate
/// is at least theta: filling is identical in the old and new problem below the first level at which a
/// changed link can saturate (a departing flow's old rate; capacity / flows on an arrival's links), so
/// slower flows keep their rates. All scratch space is reused: solving allocates nothing once warm.
///
/// Weighted flows (<see cref="FlowGraph.Weight"/>): a flow of weight k counts k times wherever flows are
/// counted or their rates summed (a link's unfrozen flows, its residual, its load), so the filling is
/// that of k separate identical flows, which would freeze together at the same share.
/// </summary>
internal sealed class ProgressiveFilling
{
    // Relative tolerance for "saturated" and "no faster than": well above rounding, far below any
    // difference that matters to completion times.
    private const double Tolerance = 1e-9;

    private readonly FlowGraph _g;
    private readonly double[] _remaining, _linkSum, _linkMax, _liveShare;
    private readonly int[] _unfrozen, _linkVersion, _linkMark, _linkCheckMark, _soleMark;
    private int _fill; // numbers fillings, for _soleMark
    private int[] _flowMark = new int[64], _checkMark = new int[64];
    private double[] _savedRate = new double[64];
    private int _epoch, _checkEpoch;
    // Whether the last filling met a flow outside the region on the region's links.
    private bool _touchesOutside;
    private double _threshold;
    private int[] _regionLinks = new int[64], _regionFlows = new int[64], _joiners = new int[64];
    private int _regionLinkCount, _regionFlowCount, _joinerCount;
    private readonly DaryHeap<HeapEntry, ByShareThenLink> _heap = new(64);

    private struct HeapEntry { public double Share; public int Link, Version; }

    /// <summary>Smallest fair share first; ties broken by link id so that the result never depends on
    /// insertion order.</summary>
    private struct ByShareThenLink : IHeapOrder<HeapEntry>
    {
        public static bool Before(in HeapEntry a, in HeapEntry b) => a.Share < b.Share || (a.Share == b.Share && a.Link < b.Link);
    }

    public ProgressiveFilling(FlowGraph g)
    {
        _g = g;
        int links = g.LinkCount;
        _remaining = new double[links];
        _linkSum = new double[links];
        _linkMax = new double[links];
        _liveShare = new double[links];
        _unfrozen = new int[links];
        _linkVersion = new int[links];
        _linkMark = new int[links];
        _linkCheckMark = new int[links];
        _soleMark = new int[links];
    }

    /// <summary>Flows re-solved by the last <see cref="Solve"/>.</summary>
    public ReadOnlySpan<int> RegionFlows => _regionFlows.AsSpan(0, _regionFlowCount);

    /// <summary>A flow's rate before the last <see cref="Solve"/> (valid for flows in <see cref="RegionFlows"/>).</summary>
    public double SavedRate(int flow) => _savedRate[flow];

    /// <summary>Starts a new solve; flows below <paramref name="threshold"/> on the seed links keep their
    /// rates. New flows must carry rate +infinity so that they are always re-solved.</summary>
    public void Begin(double threshold = 0)
    {
        if (++_epoch == int.MaxValue) { Array.Clear(_linkMark); Array.Clear(_flowMark); _epoch = 1; }
        // Rates that should tie with the threshold may differ from it by rounding: cut a little below.
        _threshold = threshold * (1 - Tolerance);
        _regionLinkCount = 0; _regionFlowCount = 0;
        int bound = _g.FlowIdBound;
        if (_flowMark.Length < bound)
        {
            int size = Math.Max(bound, _flowMark.Length * 2);
            Array.Resize(ref _flowMark, size); Array.Resize(ref _checkMark, size); Array.Resize(ref _savedRate, size);
        }
    }

    /// <summary>A link whose flows changed: its flows at or above the threshold start the region.</summary>
    public void AddSeedLink(int link)
    {
        var list = _g.LinkFlows[link];
        for (int k = 0; k < _g.LinkFlowCount[link]; k++)
        {
            int f = list![k];
            if (_g.Rate[f] >= _threshold) Join(f);
        }
    }

    private void Join(int f)
    {
        if (_flowMark[f] == _epoch || _flowMark[f] == -_epoch) return;
        _flowMark[f] = _epoch;
        _savedRate[f] = _g.Rate[f];
        Push(ref _regionFlows, ref _regionFlowCount, f);
        int baseIdx = f * FlowGraph.Stride;
        for (int h = 0; h < _g.FlowPathLength[f]; h++)
        {
            int l = _g.FlowLinks[baseIdx + h];
            if (_linkMark[l] == _epoch) continue;
            _linkMark[l] = _epoch;
            Push(ref _regionLinks, ref _regionLinkCount, l);
        }
    }

    private bool InRegion(int f) => _flowMark[f] == _epoch || _flowMark[f] == -_epoch;

    /// <summary>Repair passes before giving up on locality: a change that keeps propagating (a long
    /// chain of dependent bottlenecks) would cost a pass per step; past this many passes the region is
    /// grown at once to every flow at or above the threshold connected to it, which is exact too.</summary>
    internal int MaxRepairPasses = 8;
    /// <summary>How often the fallback to the whole connected region was taken.</summary>
    internal long Fallbacks;

    /// <summary>Solves the region, repairs it until the max-min conditions hold, writes rates.</summary>
    public void Solve()
    {
        for (int pass = 1; ; pass++)
        {
            FillRegion();
            // With no outside flow on its links the region is a union of whole connected components,
            // solved from scratch: nothing to check.
            if (!_touchesOutside || !FindJoiners()) return;
            for (int i = 0; i < _joinerCount; i++) Join(_joiners[i]);
            if (pass >= MaxRepairPasses)
            {
                Fallbacks++;
                JoinConnected();
                FillRegion();
                return;
            }
        }
    }

    /// <summary>Grows the region to every flow at or above the threshold reachable through shared links.</summary>
    private void JoinConnected()
    {
        for (int i = 0; i < _regionLinkCount; i++) // the list grows as flows join
        {
            int l = _regionLinks[i];
            var list = _g.LinkFlows[l];
            for (int k = 0; k < _g.LinkFlowCount[l]; k++)
            {
                int f = list![k];
                if (_g.Rate[f] >= _threshold || InRegion(f)) Join(f);
            }
        }
    }

    /// <summary>Progressive filling of the region's flows on residual capacities.</summary>
    private void FillRegion()
    {
        var rate = _g.Rate;
        var weight = _g.Weight;
        // Unfreeze the whole region (a repeat pass starts from scratch).
        for (int i = 0; i < _regionFlowCount; i++) _flowMark[_regionFlows[i]] = _epoch;
        _heap.Clear();
        if (++_fill == int.MaxValue) { Array.Clear(_soleMark); _fill = 1; }
        bool outside = false, anySole = false;
        for (int i = 0; i < _regionLinkCount; i++)
        {
            int l = _regionLinks[i];
            var list = _g.LinkFlows[l];
            double residual = _g.Capacity[l];
            int unfrozen = 0, unfrozenFlows = 0;
            for (int k = 0; k < _g.LinkFlowCount[l]; k++)
            {
                int f = list![k];
                if (_flowMark[f] == _epoch) { unfrozen += weight[f]; unfrozenFlows++; }
                else { residual -= rate[f] * weight[f]; outside = true; }
            }
            _remaining[l] = residual;
            _unfrozen[l] = unfrozen;
            if (unfrozen == 0) continue;
            double share = Math.Max(0, residual) / unfrozen;
            _liveShare[l] = share;
            if (unfrozenFlows == 1) { _soleMark[l] = _fill; anySole = true; } // entered per flow, below
            else _heap.Append(new HeapEntry { Share = share, Link = l, Version = ++_linkVersion[l] });
        }
        // A link crossed by a single region flow keeps its share until that flow freezes, and then has
        // nothing left to fill; of a flow's such links only the first in heap order can ever act, so
        // only that one enters the heap (on a ring most links carry one flow: a third of the entries).
        if (anySole)
            for (int i = 0; i < _regionFlowCount; i++)
            {
                int f = _regionFlows[i], best = -1, baseIdx = f * FlowGraph.Stride;
                for (int h = 0; h < _g.FlowPathLength[f]; h++)
                {
                    int l = _g.FlowLinks[baseIdx + h];
                    if (_soleMark[l] == _fill && (best < 0 || _liveShare[l] < _liveShare[best] || (_liveShare[l] == _liveShare[best] && l < best)))
                        best = l;
                }
                if (best >= 0) _heap.Append(new HeapEntry { Share = _liveShare[best], Link = best, Version = ++_linkVersion[best] });
            }
        _heap.Heapify();
        _touchesOutside = outside;
        while (_heap.Count > 0)
        {
            var top = _heap.Pop();
            int l = top.Link;
            if (top.Version != _linkVersion[l] || _unfrozen[l] == 0) continue;
            double share = Math.Max(0, _remaining[l]) / _unfrozen[l];
            if (share != top.Share) { PushShare(l, share); continue; } // it rose since: wait for its turn
            var list = _g.LinkFlows[l];
            for (int k = 0; k < _g.LinkFlowCount[l]; k++)
            {
                int f = list![k];
                if (_flowMark[f] != _epoch) continue; // outside the region, or frozen already
                _flowMark[f] = -_epoch;
                rate[f] = share;
                int w = weight[f];
                double taken = share * w;
                int baseIdx = f * FlowGraph.Stride;
                for (int h = 0; h < _g.FlowPathLength[f]; h++)
                {
                    int l2 = _g.FlowLinks[baseIdx + h];
                    _remaining[l2] -= taken;
                    if ((_unfrozen[l2] -= w) > 0 && l2 != l)
                    {
                        // Freezing flows at the lowest share can only raise the other links' shares, so
                        // their entries stay valid lower bounds and are refreshed when they reach the
                        // top; only a fall (by rounding) must be pushed now to keep the order exact.
                        double s2 = Math.Max(0, _remaining[l2]) / _unfrozen[l2];
                        if (s2 < _liveShare[l2]) PushShare(l2, s2);
                    }
                }
            }
        }
    }

    /// <summary>
    /// Checks every flow on the region's links: it must cross a saturated link on which no flow is
    /// faster. A failing outside flow joins the region; a failing region flow pulls in the outside
    /// flows that are faster than it on its saturated links. Returns whether anyone joins.
    /// </summary>
    private bool FindJoiners()
    {
        if (++_checkEpoch == int.MaxValue) { Array.Clear(_linkCheckMark); Array.Clear(_checkMark); _checkEpoch = 1; }
        _joinerCount = 0;
        var rate = _g.Rate;
        for (int i = 0; i < _regionLinkCount; i++)
        {
            int l = _regionLinks[i];
            var list = _g.LinkFlows[l];
            for (int k = 0; k < _g.LinkFlowCount[l]; k++)
            {
                int f = list![k];
                if (_checkMark[f] == _checkEpoch) continue;
                _checkMark[f] = _checkEpoch;
                if (HasBottleneck(f)) continue;
                if (!InRegion(f)) { AddJoiner(f); continue; }
                // A region flow without a bottleneck: someone outside is taking more on its saturated links.
                int baseIdx = f * FlowGraph.Stride;
                for (int h = 0; h < _g.FlowPathLength[f]; h++)
                {
                    int l2 = _g.FlowLinks[baseIdx + h];
                    var list2 = _g.LinkFlows[l2];
                    for (int k2 = 0; k2 < _g.LinkFlowCount[l2]; k2++)
                    {
                        int g2 = list2![k2];
                        if (!InRegion(g2) && rate[g2] > rate[f]) AddJoiner(g2);
                    }
                }
            }
        }
        return _joinerCount > 0;
    }

    private void AddJoiner(int f)
    {
        if (_joinerCount == _joiners.Length) Array.Resize(ref _joiners, _joiners.Length * 2);
        _joiners[_joinerCount++] = f;
    }

    /// <summary>Whether <paramref name="f"/> crosses a saturated link on which no flow is faster.</summary>
    private bool HasBottleneck(int f)
    {
        double r = _g.Rate[f];
        int baseIdx = f * FlowGraph.Stride;
        for (int h = 0; h < _g.FlowPathLength[f]; h++)
        {
            int l = _g.FlowLinks[baseIdx + h];
            LinkTotals(l);
            if (_linkSum[l] >= _g.Capacity[l] * (1 - Tolerance) && r >= _linkMax[l] * (1 - Tolerance)) return true;
        }
        return false;
    }

    /// <summary>Sum and maximum of the rates on <paramref name="l"/>, computed once per check pass.</summary>
    private void LinkTotals(int l)
    {
        if (_linkCheckMark[l] == _checkEpoch) return;
        _linkCheckMark[l] = _checkEpoch;
        var list = _g.LinkFlows[l];
        double sum = 0, max = 0;
        for (int k = 0; k < _g.LinkFlowCount[l]; k++)
        {
            int f = list![k];
            double r = _g.Rate[f];
            sum += r * _g.Weight[f];
            if (r > max) max = r;
        }
        _linkSum[l] = sum;
        _linkMax[l] = max;
    }

    private static void Push(ref int[] array, ref int count, int value)
    {
        if (count == array.Length) Array.Resize(ref array, array.Length * 2);
        array[count++] = value;
    }

    /// <summary>Makes <paramref name="share"/> the link's one live heap entry (older ones are skipped when popped).</summary>
    private void PushShare(int link, double share)
    {
        _liveShare[link] = share;
        _heap.Push(new HeapEntry { Share = share, Link = link, Version = ++_linkVersion[link] });
    }
}
