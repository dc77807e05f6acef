using System.Runtime.CompilerServices;

namespace Sim.Core;

/// <summary>
/// The simulation's agenda: like a doctor's appointment book sorted by time, where two patients booked
/// for the same minute are seen in the order they booked. A 4-ary min-heap ordered by (time, sequence
/// number), so equal-time entries pop in scheduling order.
///
/// Why this layout: at 100,000 pending entries the heap no longer fits in cache and every level of a
/// sift costs a cache miss. Heap nodes are therefore 16 bytes (time and a key packing the sequence
/// number above a payload slot), and a node's four children are adjacent, so each level touches one
/// or two cache lines. The payload (target object, argument, kind) sits in a slot table, one struct per slot,
/// touched once per push and pop. No object is allocated per entry.
/// </summary>
internal sealed class EventQueue
{
    /// <summary>What a popped entry asks the kernel to do.</summary>
    internal enum EntryKind : byte { FireEvent = 0, Callback = 1, CallbackWithArg = 2, StartProcess = 3 }

    internal readonly struct Entry(double time, EntryKind kind, object target, long arg)
    {
        public readonly double Time = time;
        public readonly EntryKind Kind = kind;
        public readonly object Target = target;
        public readonly long Arg = arg;
    }

    private struct Node
    {
        public double Time;
        /// <summary>Sequence number in the high 40 bits, payload slot in the low 24.</summary>
        public ulong Key;
    }

    private const int SlotBits = 24;
    private const ulong SlotMask = (1UL << SlotBits) - 1;
    private const int MaxSlots = 1 << SlotBits;
    private const ulong MaxSequence = (1UL << (64 - SlotBits)) - 1;
    // Node k lives at index k + Offset, so the children of k (4k+1..4k+4) start at a multiple of 4.
    private const int Offset = 3;

    private Node[] _heap = new Node[1024 + Offset];
    private int _count;
    private ulong _sequence;

    /// <summary>An entry's payload, kept together so a pop touches one cache line, not three.</summary>
    private struct Payload
    {
        public object? Target;
        public long Arg;
        public EntryKind Kind;
    }

    private Payload[] _payloads = new Payload[1024];
    private int[] _freeSlots = new int[1024];
    private int _freeCount;
    private int _slotsUsed;

    public int Count => _count;

    public double PeekTime => _count > 0 ? _heap[Offset].Time : double.PositiveInfinity;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(in Node a, in Node b) => a.Time < b.Time || (a.Time == b.Time && a.Key < b.Key);

    public void Push(double time, EntryKind kind, object target, long arg)
    {
        int slot = AllocateSlot();
        ref Payload payload = ref _payloads[slot];
        payload.Target = target;
        payload.Arg = arg;
        payload.Kind = kind;
        if (_sequence > MaxSequence) throw new InvalidOperationException("the simulation scheduled more than 2^40 entries");
        var node = new Node { Time = time, Key = (_sequence++ << SlotBits) | (uint)slot };

        if (_count + Offset == _heap.Length) Array.Resize(ref _heap, (_heap.Length - Offset) * 2 + Offset);
        var heap = _heap;
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 2;
            ref Node p = ref heap[parent + Offset];
            if (!Before(node, p)) break;
            heap[i + Offset] = p;
            i = parent;
        }
        heap[i + Offset] = node;
    }

    /// <summary>Removes the earliest entry. The caller checks <see cref="Count"/> first.</summary>
    public Entry Pop()
    {
        var heap = _heap;
        var top = heap[Offset];
        int n = --_count;
        if (n > 0)
        {
            var last = heap[n + Offset];
            int i = 0;
            while (true)
            {
                int first = (i << 2) + 1;
                if (first >= n) break;
                int best = first;
                int end = first + 4 < n ? first + 4 : n;
                for (int c = first + 1; c < end; c++)
                    if (Before(heap[c + Offset], heap[best + Offset])) best = c;
                if (!Before(heap[best + Offset], last)) break;
                heap[i + Offset] = heap[best + Offset];
                i = best;
            }
            heap[i + Offset] = last;
        }
        int slot = (int)(top.Key & SlotMask);
        ref Payload payload = ref _payloads[slot];
        var entry = new Entry(top.Time, payload.Kind, payload.Target!, payload.Arg);
        payload.Target = null; // let the GC collect fired targets
        _freeSlots[_freeCount++] = slot;
        return entry;
    }

    private int AllocateSlot()
    {
        if (_freeCount > 0) return _freeSlots[--_freeCount];
        if (_slotsUsed == _payloads.Length)
        {
            if (_slotsUsed == MaxSlots) throw new InvalidOperationException($"more than {MaxSlots:N0} entries pending in the event queue");
            int size = Math.Min(MaxSlots, _payloads.Length * 2);
            Array.Resize(ref _payloads, size);
            Array.Resize(ref _freeSlots, size);
        }
        return _slotsUsed++;
    }
}
