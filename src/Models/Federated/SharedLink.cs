using Sim.Core;

namespace Sim.Models.Federated;

/// <summary>
/// The aggregation server's network card, shared by every client talking to it at once, like one
/// motorway slip road shared by cars that each also have their own speed limit. Concurrent
/// transfers share the capacity max-min fairly (SimGrid-style flow-level model): every transfer
/// gets the same "water level" rate L, except that a transfer never goes faster than the client's
/// own link, and the capacity a slow client cannot use is shared among the others. With capacity
/// S and client caps c_i, L solves sum_i min(c_i, L) = S; when sum_i c_i &lt;= S nobody is limited
/// by the server and each transfer runs at its own cap.
///
/// Why this algorithm: recomputing every transfer's rate whenever one starts or ends costs O(n) per
/// event, which at a thousand concurrent uploads and a thousand rounds is billions of operations.
/// Instead transfers are split into two groups. Cap-limited transfers (c_i &lt;= L) keep a fixed
/// rate, so their finish time is fixed. Share-limited transfers all run at L, so their progress is
/// tracked against one virtual clock W(t) = integral of L dt: such a transfer finishes when W reaches
/// its "virtual finish" key, a number that does not change when L does. When L moves, only transfers
/// whose cap crosses L switch groups (found at the top of cap-ordered heaps), so each start, end or
/// abort costs O(log n) amortised. One kernel callback is kept pending for the next completion.
/// </summary>
internal sealed class SharedLink
{
    private const byte None = 0, ShareLimited = 1, CapLimited = 2;

    private readonly Simulation _sim;
    private readonly Action<long> _onComplete;
    private readonly Action<long> _wake;
    private readonly double _capacity;

    // Per-flow columns, indexed by flow id (slots are reused).
    private double[] _size = new double[64];
    private double[] _cap = new double[64];
    private double[] _finishOrKey = new double[64]; // cap-limited: finish time; share-limited: virtual key
    private long[] _tag = new long[64];
    private byte[] _group = new byte[64];
    private readonly Stack<int> _freeIds = new();
    private int _idsUsed;

    private readonly IndexedHeap _shareByCap = new(64);     // min cap among share-limited
    private readonly IndexedHeap _shareByKey = new(64);     // min virtual finish among share-limited
    private readonly IndexedHeap _capByNegCap = new(64);    // max cap among cap-limited (negated)
    private readonly IndexedHeap _capByFinish = new(64);    // min finish time among cap-limited

    private double _sumCaps;          // sum of caps of cap-limited flows
    private double _level = double.PositiveInfinity; // L
    private double _virtual;          // W
    private double _lastUpdate;
    private long _generation;
    private double _pendingWake = double.PositiveInfinity;

    /// <param name="capacityBytesPerSecond">Server-side capacity; +inf for an uncontended server.</param>
    /// <param name="onComplete">Called with the flow's tag when it has delivered all its bytes.</param>
    public SharedLink(Simulation sim, double capacityBytesPerSecond, Action<long> onComplete)
    {
        if (!(capacityBytesPerSecond > 0)) throw new ArgumentOutOfRangeException(nameof(capacityBytesPerSecond), capacityBytesPerSecond, "must be > 0");
        _sim = sim;
        _capacity = capacityBytesPerSecond;
        _onComplete = onComplete;
        _wake = Wake;
        _lastUpdate = sim.Now;
    }

    public double Capacity => _capacity;
    public int ActiveFlows => _shareByKey.Count + _capByFinish.Count;

    /// <summary>Bytes delivered so far over all flows, integrated from the rates (includes aborted flows' partial bytes).</summary>
    public double BytesDelivered { get { Advance(); return _bytesDelivered; } }
    private double _bytesDelivered;

    /// <summary>The current rate of flow <paramref name="flow"/>, bytes/s.</summary>
    public double RateOf(int flow) => _group[flow] == CapLimited ? _cap[flow] : _level;

    /// <summary>Starts a transfer of <paramref name="bytes"/> limited to <paramref name="capBytesPerSecond"/>
    /// on the client side. Returns the flow id (valid until it completes or is aborted).</summary>
    public int Start(double bytes, double capBytesPerSecond, long tag)
    {
        if (!(bytes >= 0) || double.IsInfinity(bytes)) throw new ArgumentOutOfRangeException(nameof(bytes));
        if (!(capBytesPerSecond > 0) || double.IsInfinity(capBytesPerSecond)) throw new ArgumentOutOfRangeException(nameof(capBytesPerSecond));
        Advance();
        int id = AllocateId();
        _size[id] = bytes;
        _cap[id] = capBytesPerSecond;
        _tag[id] = tag;
        // Enter as cap-limited with finish = now + size/cap (exact when nothing contends);
        // Normalize moves it if the server is the bottleneck.
        _group[id] = CapLimited;
        _finishOrKey[id] = _sim.Now + bytes / capBytesPerSecond;
        _sumCaps += capBytesPerSecond;
        _capByNegCap.Insert(id, -capBytesPerSecond);
        _capByFinish.Insert(id, _finishOrKey[id]);
        Normalize();
        Reschedule();
        return id;
    }

    /// <summary>Stops flow <paramref name="flow"/> before it completes; returns the bytes it had delivered.</summary>
    public double Abort(int flow)
    {
        if (flow < 0 || flow >= _idsUsed || _group[flow] == None) throw new ArgumentException($"flow {flow} is not active", nameof(flow));
        Advance();
        double delivered = _size[flow] - Remaining(flow);
        Detach(flow);
        Normalize();
        Reschedule();
        return Math.Clamp(delivered, 0, _size[flow]);
    }

    private double Remaining(int id) =>
        _group[id] == CapLimited ? (_finishOrKey[id] - _sim.Now) * _cap[id] : _finishOrKey[id] - _virtual;

    private void Advance()
    {
        double now = _sim.Now;
        double dt = now - _lastUpdate;
        if (dt <= 0) return;
        int shared = _shareByKey.Count;
        if (shared > 0)
        {
            _virtual += _level * dt;
            _bytesDelivered += (_sumCaps + shared * _level) * dt;
        }
        else _bytesDelivered += _sumCaps * dt;
        _lastUpdate = now;
    }

    private void Detach(int id)
    {
        if (_group[id] == CapLimited)
        {
            _capByNegCap.Remove(id);
            _capByFinish.Remove(id);
            _sumCaps -= _cap[id];
            if (_capByFinish.Count == 0) _sumCaps = 0; // drop accumulated rounding
        }
        else
        {
            _shareByCap.Remove(id);
            _shareByKey.Remove(id);
            if (_shareByKey.Count == 0) _virtual = 0; // rebase the virtual clock
        }
        _group[id] = None;
        _freeIds.Push(id);
    }

    /// <summary>Water-filling: moves flows between the groups until every cap-limited flow has
    /// cap &lt;= L and every share-limited flow has cap &gt; L. In exact arithmetic each move raises L,
    /// so a flow moves at most twice; a relative tolerance on the move back to the shared group keeps
    /// rounding from bouncing a flow whose cap equals L, and the move budget is a last guard.</summary>
    private void Normalize()
    {
        double now = _sim.Now;
        long budget = 4L * (ActiveFlows + 1);
        while (budget-- > 0)
        {
            int shared = _shareByKey.Count;
            if (shared == 0)
            {
                if (_sumCaps <= _capacity) { _level = double.PositiveInfinity; return; }
                MoveToShared(_capByNegCap.PeekId, now);
                continue;
            }
            _level = (_capacity - _sumCaps) / shared;
            if (_capByNegCap.Count > 0 && -_capByNegCap.PeekKey > _level * (1 + 1e-12)) { MoveToShared(_capByNegCap.PeekId, now); continue; }
            if (_shareByCap.PeekKey <= _level) { MoveToCapLimited(_shareByCap.PeekId, now); continue; }
            return;
        }
    }

    private void MoveToShared(int id, double now)
    {
        double remaining = (_finishOrKey[id] - now) * _cap[id];
        _capByNegCap.Remove(id);
        _capByFinish.Remove(id);
        _sumCaps -= _cap[id];
        if (_capByFinish.Count == 0) _sumCaps = 0;
        _group[id] = ShareLimited;
        _finishOrKey[id] = _virtual + Math.Max(0, remaining);
        _shareByCap.Insert(id, _cap[id]);
        _shareByKey.Insert(id, _finishOrKey[id]);
    }

    private void MoveToCapLimited(int id, double now)
    {
        double remaining = Math.Max(0, _finishOrKey[id] - _virtual);
        _shareByCap.Remove(id);
        _shareByKey.Remove(id);
        _group[id] = CapLimited;
        _finishOrKey[id] = now + remaining / _cap[id];
        _sumCaps += _cap[id];
        _capByNegCap.Insert(id, -_cap[id]);
        _capByFinish.Insert(id, _finishOrKey[id]);
        if (_shareByKey.Count == 0) _virtual = 0;
    }

    private double NextCompletion()
    {
        double next = _capByFinish.Count > 0 ? _capByFinish.PeekKey : double.PositiveInfinity;
        if (_shareByKey.Count > 0)
        {
            double t = _sim.Now + Math.Max(0, _shareByKey.PeekKey - _virtual) / _level;
            if (t < next) next = t;
        }
        return next;
    }

    private void Reschedule()
    {
        double next = NextCompletion();
        if (next < _pendingWake)
        {
            _pendingWake = next;
            _sim.ScheduleAt(next, _wake, ++_generation);
        }
    }

    private void Wake(long generation)
    {
        if (generation != _generation) return; // superseded by an earlier wake-up
        _pendingWake = double.PositiveInfinity;
        // Complete due flows one at a time: a completion callback may start or abort other flows
        // on this link (a closing round cancels the rest), and must see a consistent state.
        while (true)
        {
            Advance();
            int due = DueFlow();
            if (due < 0) break;
            long tag = _tag[due];
            Detach(due);
            Normalize();
            _onComplete(tag);
        }
        Normalize();
        Reschedule();
    }

    /// <summary>A flow that has delivered all its bytes by now, or -1.</summary>
    private int DueFlow()
    {
        double now = _sim.Now;
        if (_capByFinish.Count > 0 && _capByFinish.PeekKey <= now) return _capByFinish.PeekId;
        if (_shareByKey.Count > 0)
        {
            int id = _shareByKey.PeekId;
            double remaining = _shareByKey.PeekKey - _virtual;
            // Done within a relative rounding tolerance, or when the rest is below the clock's resolution.
            if (remaining <= 1e-9 * _size[id] || now + remaining / _level <= now) return id;
        }
        return -1;
    }

    private int AllocateId()
    {
        if (_freeIds.Count > 0) return _freeIds.Pop();
        if (_idsUsed == _size.Length)
        {
            int n = _size.Length * 2;
            Array.Resize(ref _size, n);
            Array.Resize(ref _cap, n);
            Array.Resize(ref _finishOrKey, n);
            Array.Resize(ref _tag, n);
            Array.Resize(ref _group, n);
        }
        return _idsUsed++;
    }
}
