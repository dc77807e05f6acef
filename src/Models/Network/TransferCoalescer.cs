namespace Sim.Models.Network;

/// <summary>
/// Groups transfers that are indistinguishable to the network, like a freight office that books
/// several identical crates for the same address on the same departure as one consignment: transfers
/// started at the same instant with the same source, destination, size and latency rounds take the same
/// route (routing is a function of the pair), start sharing bandwidth at the same instant, and under
/// max-min fairness keep equal rates all their lives, so they finish together. The flow network then
/// keeps one flow of weight k for them instead of k flows (NCCL's channels between the same two GPUs
/// of a node are the common case: 7 of a DGX ring's 8 channels cross each intra-node edge).
///
/// A group is open from its first transfer until its latency phase ends (<see cref="Close"/>); only
/// transfers started at the instant the group was started may join, so the lookup table only ever
/// holds this instant's groups. It is an open-addressing hash table whose entries are checked against
/// a serial number per group: entries of earlier instants or of closed groups count as empty, so
/// nothing is ever deleted or cleared. Members are chained through per-slot arrays in start order.
/// Nothing is allocated once the arrays have grown to the working size.
/// </summary>
internal sealed class TransferCoalescer
{
    private struct Entry
    {
        public int Src, Dst, Rounds, Head;
        public double Bytes;
        public long Serial;
    }

    private Entry[] _table = new Entry[64];
    private int _used;             // entries inserted at the current instant
    private double _instant = double.NaN;
    private long _serial;          // last group serial handed out
    private long _firstSerialOfInstant = 1;
    // Per slot: next member (-1 = last), and for group heads: weight, last member, serial (0 = closed).
    private int[] _next = new int[64], _weight = new int[64], _tail = new int[64];
    private long[] _groupSerial = new long[64];

    /// <summary>Registers <paramref name="slot"/> at <paramref name="now"/>. Returns the head slot of the
    /// open group it joined, or <paramref name="slot"/> itself when it starts a new group (whose
    /// activation the caller must schedule).</summary>
    public int Join(double now, int slot, int src, int dst, double bytes, int rounds)
    {
        if (slot >= _next.Length) GrowSlots(slot + 1);
        _next[slot] = -1;
        if (now != _instant) { _instant = now; _used = 0; _firstSerialOfInstant = _serial + 1; }
        int mask = _table.Length - 1;
        for (int i = Hash(src, dst, bytes, rounds) & mask; ; i = (i + 1) & mask)
        {
            ref var e = ref _table[i];
            if (!IsLive(e))
            {
                Open(ref e, slot, src, dst, bytes, rounds);
                if (++_used * 2 > _table.Length) GrowTable();
                return slot;
            }
            if (e.Src == src && e.Dst == dst && e.Rounds == rounds && e.Bytes == bytes)
            {
                int head = e.Head;
                _next[_tail[head]] = slot;
                _tail[head] = slot;
                _weight[head]++;
                return head;
            }
        }
    }

    /// <summary>Ends the group's latency phase: nobody joins it any more. Returns its number of members.</summary>
    public int Close(int head)
    {
        _groupSerial[head] = 0;
        return _weight[head];
    }

    /// <summary>The member after <paramref name="slot"/> in start order, or -1.</summary>
    public int Next(int slot) => _next[slot];

    // An entry is live if it was made at this instant and its group has not been closed (slots are
    // recycled, so the head's serial must still be the entry's).
    private bool IsLive(in Entry e) => e.Serial >= _firstSerialOfInstant && _groupSerial[e.Head] == e.Serial;

    private void Open(ref Entry e, int slot, int src, int dst, double bytes, int rounds)
    {
        e.Src = src; e.Dst = dst; e.Rounds = rounds; e.Bytes = bytes; e.Head = slot;
        e.Serial = ++_serial;
        _groupSerial[slot] = e.Serial;
        _weight[slot] = 1;
        _tail[slot] = slot;
    }

    private static int Hash(int src, int dst, double bytes, int rounds)
    {
        // SplitMix64 finaliser over the key's bits.
        ulong z = ((ulong)(uint)src << 32 | (uint)dst) ^ (ulong)BitConverter.DoubleToInt64Bits(bytes) * 0x9E3779B97F4A7C15UL ^ (ulong)rounds;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)(z ^ (z >> 31));
    }

    private void GrowTable()
    {
        var old = _table;
        _table = new Entry[old.Length * 2];
        int mask = _table.Length - 1;
        _used = 0;
        foreach (var e in old)
        {
            if (!IsLive(e)) continue;
            int i = Hash(e.Src, e.Dst, e.Bytes, e.Rounds) & mask;
            while (IsLive(_table[i])) i = (i + 1) & mask;
            _table[i] = e;
            _used++;
        }
    }

    private void GrowSlots(int needed)
    {
        int size = Math.Max(needed, _next.Length * 2);
        Array.Resize(ref _next, size); Array.Resize(ref _weight, size);
        Array.Resize(ref _tail, size); Array.Resize(ref _groupSerial, size);
    }
}
