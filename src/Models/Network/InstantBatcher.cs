using Sim.Core;

namespace Sim.Models.Network;

/// <summary>
/// One kernel event for many items due at the same instant, like a lift that takes everyone waiting
/// for the same floor in one trip instead of one trip each. Items added with the same delay during
/// one kernel event (one callback: a collective issuing its transfers, one rate recomputation) join
/// one batch, whose single event hands them to the handler in the order they were added. Their
/// separate events would have fired at one time with sequence numbers in that order, with nothing in
/// between unless the same callback scheduled something else for that very instant between two adds
/// (the network's own callbacks never do): the batch runs everything in the same order, and the event
/// queue holds one entry where it held thousands (a ring starts and ends tens of thousands of flows at
/// one instant). Only the few most recent batches are looked up, so adding costs O(1); storage is
/// pooled and nothing is allocated once warm.
/// </summary>
internal sealed class InstantBatcher
{
    private const int Recent = 4;

    private readonly Simulation _sim;
    private readonly Action<long> _handler, _fire;
    // Items, chained per batch through _next; freed items chain through _next too.
    private long[] _payload = new long[64];
    private int[] _next = new int[64];
    private int _freeItem = -1, _itemHighWater;
    // Batches: first and last item, instant made, delay, still taking items.
    private int[] _head = new int[16], _tail = new int[16];
    private double[] _delay = new double[16], _madeAt = new double[16];
    private long[] _madeDuring = new long[16]; // kernel events processed when the batch was made
    private bool[] _open = new bool[16];
    private int[] _freeBatches = new int[16];
    private int _freeBatchCount, _batchHighWater;
    private readonly int[] _recent = [-1, -1, -1, -1];
    private int _recentCursor;

    /// <param name="handler">Called once per item, with its payload, when the item's instant comes.</param>
    public InstantBatcher(Simulation sim, Action<long> handler)
    {
        _sim = sim;
        _handler = handler;
        _fire = Fire;
    }

    /// <summary>Hands <paramref name="payload"/> to the handler after <paramref name="delay"/>.</summary>
    public void Add(double delay, long payload)
    {
        long during = _sim.EventsProcessed;
        double now = _sim.Now;
        int item = NewItem(payload);
        for (int k = 0; k < Recent; k++)
        {
            int b = _recent[k];
            if (b >= 0 && _open[b] && _delay[b] == delay && _madeDuring[b] == during && _madeAt[b] == now)
            {
                _next[_tail[b]] = item;
                _tail[b] = item;
                return;
            }
        }
        int batch = NewBatch();
        _head[batch] = _tail[batch] = item;
        _madeDuring[batch] = during; _madeAt[batch] = now; _delay[batch] = delay; _open[batch] = true;
        _recent[_recentCursor] = batch;
        _recentCursor = (_recentCursor + 1) % Recent;
        _sim.Schedule(delay, _fire, batch);
    }

    private void Fire(long batchArg)
    {
        int b = (int)batchArg;
        _open[b] = false;
        for (int item = _head[b]; item >= 0;)
        {
            long payload = _payload[item];
            int next = _next[item];
            _next[item] = _freeItem;
            _freeItem = item;
            _handler(payload);
            item = next;
        }
        if (_freeBatchCount == _freeBatches.Length) Array.Resize(ref _freeBatches, _freeBatches.Length * 2);
        _freeBatches[_freeBatchCount++] = b;
    }

    private int NewItem(long payload)
    {
        int item;
        if (_freeItem >= 0) { item = _freeItem; _freeItem = _next[item]; }
        else
        {
            item = _itemHighWater++;
            if (item == _payload.Length) { Array.Resize(ref _payload, item * 2); Array.Resize(ref _next, item * 2); }
        }
        _payload[item] = payload;
        _next[item] = -1;
        return item;
    }

    private int NewBatch()
    {
        if (_freeBatchCount > 0) return _freeBatches[--_freeBatchCount];
        int b = _batchHighWater++;
        if (b == _head.Length)
        {
            int size = b * 2;
            Array.Resize(ref _head, size); Array.Resize(ref _tail, size);
            Array.Resize(ref _madeDuring, size); Array.Resize(ref _madeAt, size);
            Array.Resize(ref _delay, size); Array.Resize(ref _open, size);
        }
        return b;
    }
}
