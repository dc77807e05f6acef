using Sim.Core;

namespace Sim.Models.Network;

/// <summary>
/// What every network backend shares, like the front desk of a courier depot: it books each parcel
/// into a numbered slot (who to tell, with which token, how many bytes to whom), counts bytes, and on
/// arrival tells the sender. Slots are recycled, so steady-state transfers allocate nothing.
/// </summary>
public abstract class NetworkBase : INetwork
{
    private Action<long>?[] _callback = new Action<long>?[64];
    private long[] _token = new long[64];
    private double[] _bytes = new double[64]; // all copies together
    private int[] _dst = new int[64], _copies = new int[64];
    private int[] _free = new int[64];
    private int _freeCount, _highWater;
    private Event?[] _events = new Event?[16];
    private int[] _freeEvents = new int[16];
    private int _freeEventCount, _eventHighWater;
    private readonly Action<long> _succeedEvent;
    /// <summary>Cached delegate for <see cref="Complete"/>: schedule it with a slot as argument.</summary>
    protected readonly Action<long> CompleteSlot;

    protected NetworkBase(Simulation simulation, Topology topology)
    {
        Simulation = simulation;
        Topology = topology;
        Counters = new NetworkCounters(topology.LinkCount, topology.EndpointCount);
        _succeedEvent = SucceedEvent;
        CompleteSlot = Complete;
    }

    public Simulation Simulation { get; }
    public Topology Topology { get; }
    public NetworkCounters Counters { get; }

    public Event Transfer(double bytes, int src, int dst)
    {
        var ev = Simulation.Event();
        int id = _freeEventCount > 0 ? _freeEvents[--_freeEventCount] : _eventHighWater++;
        if (id >= _events.Length) Array.Resize(ref _events, _events.Length * 2);
        _events[id] = ev;
        Transfer(bytes, src, dst, _succeedEvent, id);
        return ev;
    }

    private void SucceedEvent(long id)
    {
        var ev = _events[id]!;
        _events[id] = null;
        if (_freeEventCount == _freeEvents.Length) Array.Resize(ref _freeEvents, _freeEvents.Length * 2);
        _freeEvents[_freeEventCount++] = (int)id;
        ev.Succeed();
    }

    public void Transfer(double bytes, int src, int dst, Action<long> onComplete, long token, int latencyRounds = 1, int copies = 1)
    {
        if (!(bytes >= 0) || double.IsInfinity(bytes)) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "must be finite and >= 0");
        if ((uint)src >= (uint)Topology.EndpointCount) throw new ArgumentOutOfRangeException(nameof(src), src, $"endpoint must be in [0, {Topology.EndpointCount})");
        if ((uint)dst >= (uint)Topology.EndpointCount) throw new ArgumentOutOfRangeException(nameof(dst), dst, $"endpoint must be in [0, {Topology.EndpointCount})");
        if (latencyRounds < 1) throw new ArgumentOutOfRangeException(nameof(latencyRounds), latencyRounds, "must be >= 1");
        if (copies < 1) throw new ArgumentOutOfRangeException(nameof(copies), copies, "must be >= 1");
        ArgumentNullException.ThrowIfNull(onComplete);
        int slot = _freeCount > 0 ? _free[--_freeCount] : _highWater++;
        if (slot >= _callback.Length) GrowSlots();
        _callback[slot] = onComplete; _token[slot] = token; _bytes[slot] = bytes * copies; _copies[slot] = copies; _dst[slot] = dst;
        Counters.SentArray[src] += bytes * copies;
        Counters.TransfersStarted += copies;
        Start(slot, bytes, src, dst, latencyRounds, copies);
    }

    /// <summary>Backend-specific: move <paramref name="copies"/> x <paramref name="bytes"/> of <paramref name="slot"/>,
    /// then schedule or call <see cref="Complete"/>.</summary>
    protected abstract void Start(int slot, double bytes, int src, int dst, int latencyRounds, int copies);

    /// <summary>Delivers <paramref name="slot"/>: counts the bytes received, frees the slot, calls back.</summary>
    protected void Complete(long slot)
    {
        int s = (int)slot;
        var cb = _callback[s]!;
        long token = _token[s];
        Counters.ReceivedArray[_dst[s]] += _bytes[s];
        Counters.TransfersCompleted += _copies[s];
        _callback[s] = null;
        if (_freeCount == _free.Length) Array.Resize(ref _free, _free.Length * 2);
        _free[_freeCount++] = s;
        cb(token);
    }

    private void GrowSlots()
    {
        int size = _callback.Length * 2;
        Array.Resize(ref _callback, size); Array.Resize(ref _token, size);
        Array.Resize(ref _bytes, size); Array.Resize(ref _dst, size); Array.Resize(ref _copies, size);
    }
}
