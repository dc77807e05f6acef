using System.Runtime.CompilerServices;

namespace Sim.Core.Agenda;

/// <summary>
/// The simulation's agenda: like a post office that sorts only today's mail. Letters for far-off
/// days wait unsorted in a sack (the top); when their turn nears they are thrown into pigeonholes
/// by day (a rung); a pigeonhole that is still too full is split into finer pigeonholes by hour (a
/// finer rung); only the pigeonhole being delivered now is sorted, in a small heap (the bottom).
/// This is the ladder queue of Tang, Goh and Thng (ACM TOMACS 15(3), 2005), with a 4-ary heap as
/// its bottom instead of a sorted list.
///
/// Why: a single heap of 100,000 pending entries no longer fits in cache, and every pop sifts
/// through ~8 levels, half of them cache misses. Here an entry is written once into a bucket, read
/// once when its bucket is handed to the bottom, and sorted among a few dozen neighbours that sit in
/// the first-level cache: O(1) amortised work and about two cache misses per entry at any size.
///
/// Order is exact, not approximate: entries pop by (time, booking sequence), so equal-time entries
/// fire in the order they were scheduled. Bucket indices are monotone functions of time, so an
/// entry never sits in an earlier bucket, rung or tier than an earlier-timed one; ties end up in
/// the same bucket and are ordered by sequence in the bottom heap; an entry booked into the top at
/// time T comes after every entry at T already on the ladder, which were all booked before it.
///
/// At 100,000 pending entries the agenda's own arrays and the objects entries call no longer fit
/// in cache, so it works ahead: it keeps a few dozen entries in the bottom heap and asks the CPU to
/// load what they will touch while earlier ones fire (<see cref="MemoryHints"/>), and an entry bound
/// for a large rung waits a few pushes while its bucket's header loads (<see cref="Settle"/> files
/// it first whenever it could be the next to fire, so the order is unchanged).
/// </summary>
internal sealed class EventQueue
{
    private const int SlotBits = 24;
    private const ulong SlotMask = (1UL << SlotBits) - 1;
    private const int MaxSlots = 1 << SlotBits;
    private const ulong MaxSequence = (1UL << (64 - SlotBits)) - 1;

    /// <summary>A bucket with more entries than this is split into a finer rung rather than sorted
    /// (the paper's THRES).</summary>
    private const int SplitThreshold = 50;
    private const int MaxRungs = 8;
    /// <summary>When the bottom heap outgrows this (entries booked into the time being delivered, e.g.
    /// behind a far-future stop event), it is spread onto a new finest rung.</summary>
    private const int BottomLimit = 4096;
    /// <summary>Entries kept in the bottom heap ahead of the one firing, so that their memory (slot,
    /// target) can be loading meanwhile.</summary>
    private const int Lookahead = 16;
    /// <summary>How many buckets ahead of the one handed on to start loading slots.</summary>
    private const int SlotsAhead = 4;

    private EntrySlot[] _slots = new EntrySlot[1024];
    private int[] _freeSlots = new int[1024];
    private int _freeCount;
    private int _slotsUsed;

    private readonly NodeHeap _bottom = new();
    private readonly Rung[] _rungs = new Rung[MaxRungs];
    private int _rungCount;

    // The top: an unsorted list of entries at or after _topStart, with their time range.
    private int _topHead = -1;
    private int _topCount;
    private double _topMin, _topMax;
    private double _topStart = double.NegativeInfinity;

    /// <summary>Entries bound for a rung bucket wait here for a few pushes while their bucket's header
    /// loads (a random access into an array that outgrows the cache at 100,000 pending entries).
    /// Settle() files any that could come first before every pop, so the order is unchanged.</summary>
    private const int Deferred = 8;
    /// <summary>Rungs with fewer buckets than this (4,096 x 64 B = 256 KiB) keep their headers in cache:
    /// entries are filed at once.</summary>
    private const int DeferFromBuckets = 4096;
    private readonly int[] _deferred = new int[Deferred];
    private int _deferredCount;
    private double _deferredMinTime = double.PositiveInfinity;
    private ulong _deferredMinKey;

    private int _bottomLimit = BottomLimit;
    private int _count;
    private ulong _sequence;

    public EventQueue()
    {
        for (int r = 0; r < MaxRungs; r++) _rungs[r] = new Rung();
    }

    public int Count => _count;

    /// <summary>The earliest pending time, or +infinity when nothing is pending.</summary>
    public double PeekTime => _count > 0 && Settle() ? _bottom.MinTime : double.PositiveInfinity;

    public void Push(double time, EntryKind kind, object target, long arg)
    {
        if (_sequence > MaxSequence) throw new InvalidOperationException("the simulation scheduled more than 2^40 entries");
        int slot = AllocateSlot();
        ref EntrySlot entry = ref _slots[slot];
        entry.Target = target;
        entry.Arg = arg;
        entry.Kind = kind;
        entry.Time = time;
        entry.Key = (_sequence++ << SlotBits) | (uint)slot;
        _count++;

        File(slot, ref entry, mayDefer: true);
    }

    private void PushBottom(double time, ulong key)
    {
        _bottom.Push(time, key);
        if (_bottom.Count > _bottomLimit) SpreadBottom();
    }

    /// <summary>Files an entry where it belongs now: the top, a rung's bucket or the bottom heap (for a
    /// deferred entry, the ladder may have moved since it was booked). With <paramref name="mayDefer"/>,
    /// an entry bound for a large rung, whose bucket header is likely not in cache, waits in
    /// _deferred while the header loads.</summary>
    private void File(int slot, ref EntrySlot entry, bool mayDefer)
    {
        double time = entry.Time;
        if (time >= _topStart)
        {
            AddToTop(slot, ref entry);
            return;
        }
        for (int r = 0; r < _rungCount; r++)
        {
            var rung = _rungs[r];
            int bucket = rung.BucketOf(time);
            if (bucket < rung.Current) continue;
            if (mayDefer && rung.BucketCount >= DeferFromBuckets) Defer(slot, ref entry, rung, bucket);
            else rung.Add(bucket, slot, ref entry);
            return;
        }
        PushBottom(time, entry.Key);
    }

    private void Defer(int slot, ref EntrySlot entry, Rung rung, int bucket)
    {
        rung.Prefetch(bucket); // hint: the header loads while the entry waits in the deferred list
        if (_deferredCount == Deferred) FileDeferred();
        _deferred[_deferredCount++] = slot;
        if (entry.Time < _deferredMinTime || (entry.Time == _deferredMinTime && entry.Key < _deferredMinKey))
        {
            _deferredMinTime = entry.Time;
            _deferredMinKey = entry.Key;
        }
    }

    private void FileDeferred()
    {
        for (int i = 0; i < _deferredCount; i++) File(_deferred[i], ref _slots[_deferred[i]], mayDefer: false);
        _deferredCount = 0;
        _deferredMinTime = double.PositiveInfinity;
    }

    /// <summary>Files every deferred entry that could come before the earliest filed one, so that the
    /// bottom heap's minimum is the minimum of everything pending. False if nothing is pending.</summary>
    private bool Settle()
    {
        while (true)
        {
            bool any = FillBottom(1);
            if (_deferredCount == 0) return any;
            if (any)
            {
                ref readonly var min = ref _bottom.Min;
                if (min.Time < _deferredMinTime || (min.Time == _deferredMinTime && min.Key < _deferredMinKey)) return true;
            }
            // The earliest deferred entry comes first: file it, and find the next earliest.
            int earliest = 0;
            while (_slots[_deferred[earliest]].Key != _deferredMinKey) earliest++;
            int slot = _deferred[earliest];
            _deferred[earliest] = _deferred[--_deferredCount];
            File(slot, ref _slots[slot], mayDefer: false);
            _deferredMinTime = double.PositiveInfinity;
            for (int i = 0; i < _deferredCount; i++)
            {
                ref EntrySlot entry = ref _slots[_deferred[i]];
                if (entry.Time < _deferredMinTime || (entry.Time == _deferredMinTime && entry.Key < _deferredMinKey))
                {
                    _deferredMinTime = entry.Time;
                    _deferredMinKey = entry.Key;
                }
            }
        }
    }

    /// <summary>Removes the earliest entry. The caller checks <see cref="Count"/> first.</summary>
    public Entry Pop()
    {
        Settle();
        FillBottom(Lookahead);
        var node = _bottom.Pop();
        int slot = (int)(node.Key & SlotMask);
        ref EntrySlot entry = ref _slots[slot];
        var popped = new Entry(node.Time, entry.Kind, entry.Target!, entry.Arg);
        entry.Target = null; // let the GC collect fired targets
        _freeSlots[_freeCount++] = slot;
        if (--_count == 0)
        {
            // Everything delivered: start afresh, with every new entry going to the top.
            _rungCount = 0;
            _topStart = double.NegativeInfinity;
            _bottomLimit = BottomLimit;
        }
        return popped;
    }

    private void AddToTop(int slot, ref EntrySlot entry)
    {
        entry.Next = _topHead;
        _topHead = slot;
        double time = entry.Time;
        if (_topCount++ == 0) _topMin = _topMax = time;
        else if (time < _topMin) _topMin = time;
        else if (time > _topMax) _topMax = time;
    }

    /// <summary>Moves entries down the ladder until the bottom heap holds at least
    /// <paramref name="wanted"/> of the earliest ones (or everything there is); false if nothing is
    /// pending. Holding several lets their memory load while earlier ones fire (see <see cref="Lookahead"/>).
    /// A new rung (from the top, or a crowded bucket) is made only below an empty bottom heap: entries
    /// booked later into the time already handed on belong in the heap, and the heap must hold nothing
    /// that a new rung's first bucket could precede.</summary>
    private bool FillBottom(int wanted)
    {
        while (_bottom.Count < wanted)
        {
            if (_rungCount == 0)
            {
                if (_bottom.Count > 0 || _topCount == 0) break;
                int head = _topHead, count = _topCount;
                double min = _topMin, max = _topMax;
                _topHead = -1;
                _topCount = 0;
                _topStart = max; // later entries at max or beyond come after these: back to the top
                Spread(head, count, min, max);
                continue;
            }
            var finest = _rungs[_rungCount - 1];
            if (!finest.SkipEmpty())
            {
                _rungCount--;
                continue;
            }
            bool split = finest.CountAt(finest.Current) > SplitThreshold && _rungCount < MaxRungs;
            if (split && _bottom.Count > 0) break;
            var bucket = finest.Take();
            PrefetchSlots(finest, finest.Current + SlotsAhead);
            if (!split) MoveToBottom(in bucket);
            else
            {
                int head = ToList(in bucket);
                TimeRange(head, bucket.Count, out double min, out double max);
                Spread(head, bucket.Count, min, max);
            }
        }
        return _bottom.Count > 0;
    }

    /// <summary>Spreads a list of entries over a new finest rung of one bucket per entry, or, when
    /// they are few, all at one time, or the ladder is full, sorts them into the bottom heap.</summary>
    private void Spread(int head, int count, double min, double max)
    {
        double inverseWidth = count / (max - min); // one bucket per entry, as in the paper
        if (count <= SplitThreshold || _rungCount == MaxRungs || !(max > min) || !double.IsFinite(inverseWidth))
        {
            MoveToBottom(head, count);
            return;
        }
        var rung = _rungs[_rungCount++];
        rung.Reset(min, inverseWidth, count);
        var slots = _slots;
        for (int i = 0, slot = head; i < count; i++)
        {
            ref EntrySlot entry = ref slots[slot];
            int next = entry.Next;
            rung.Add(rung.BucketOf(entry.Time), slot, ref entry);
            slot = next;
        }
    }

    private void MoveToBottom(int head, int count)
    {
        var slots = _slots;
        for (int i = 0, slot = head; i < count; i++)
        {
            ref EntrySlot entry = ref slots[slot];
            _bottom.Push(entry.Time, entry.Key);
            MemoryHints.PrefetchTarget(entry.Target, entry.Kind); // hint: loads while the entries ahead fire
            slot = entry.Next;
        }
    }

    /// <summary>Starts loading the slots of bucket <paramref name="index"/>, a few buckets ahead of the
    /// one being handed on, so that they are in cache when it is their turn.</summary>
    private void PrefetchSlots(Rung rung, int index)
    {
        ref readonly var bucket = ref rung.Peek(index);
        if (Unsafe.IsNullRef(in bucket)) return; // Peek's "no such bucket", not a dangling reference
        // hint: these slots are read when this bucket is handed on, a few buckets from now
        for (int k = 0, n = Math.Min(bucket.Count, Rung.InlineSlots); k < n; k++) MemoryHints.Prefetch(ref _slots[bucket.Slots[k]]);
    }

    private void MoveToBottom(in Rung.Bucket bucket)
    {
        var slots = _slots;
        int inline = Math.Min(bucket.Count, Rung.InlineSlots);
        // hint: issue all the slot loads first so that their misses overlap instead of coming in turn
        for (int k = 0; k < inline; k++) MemoryHints.Prefetch(ref _slots[bucket.Slots[k]]);
        for (int k = 0; k < inline; k++)
        {
            ref EntrySlot entry = ref slots[bucket.Slots[k]];
            _bottom.Push(entry.Time, entry.Key);
            MemoryHints.PrefetchTarget(entry.Target, entry.Kind); // hint: loads while the entries ahead fire
        }
        if (bucket.Count > inline) MoveToBottom(bucket.Overflow, bucket.Count - inline);
    }

    /// <summary>Threads a bucket's inline entries onto its overflow list: one list of all its entries.</summary>
    private int ToList(in Rung.Bucket bucket)
    {
        int head = bucket.Count > Rung.InlineSlots ? bucket.Overflow : -1;
        for (int k = 0, n = Math.Min(bucket.Count, Rung.InlineSlots); k < n; k++)
        {
            int slot = bucket.Slots[k];
            _slots[slot].Next = head;
            head = slot;
        }
        return head;
    }

    private void TimeRange(int head, int count, out double min, out double max)
    {
        var slots = _slots;
        min = double.PositiveInfinity;
        max = double.NegativeInfinity;
        for (int i = 0, slot = head; i < count; i++)
        {
            ref EntrySlot entry = ref slots[slot];
            if (entry.Time < min) min = entry.Time;
            if (entry.Time > max) max = entry.Time;
            slot = entry.Next;
        }
    }

    /// <summary>The bottom heap grew past its limit: spread its entries over a new finest rung (they
    /// all precede every entry on the existing rungs, so the new rung slots in below them).</summary>
    private void SpreadBottom()
    {
        var nodes = _bottom.Nodes;
        double min = double.PositiveInfinity, max = double.NegativeInfinity;
        foreach (var node in nodes)
        {
            if (node.Time < min) min = node.Time;
            if (node.Time > max) max = node.Time;
        }
        if (_rungCount == MaxRungs || !(max > min) || !double.IsFinite(nodes.Length / (max - min)))
        {
            // Nothing to gain (all at one instant, or no rung left): let the heap grow, and look
            // again only once it has doubled, so this scan stays amortised O(1).
            _bottomLimit = nodes.Length * 2;
            return;
        }
        int head = -1;
        var slots = _slots;
        foreach (var node in nodes)
        {
            int slot = (int)(node.Key & SlotMask);
            slots[slot].Next = head;
            head = slot;
        }
        int count = nodes.Length;
        _bottom.Clear();
        Spread(head, count, min, max);
    }

    private int AllocateSlot()
    {
        if (_freeCount > 0) return _freeSlots[--_freeCount];
        if (_slotsUsed == _slots.Length)
        {
            if (_slotsUsed == MaxSlots) throw new InvalidOperationException($"more than {MaxSlots:N0} entries pending in the event queue");
            int size = Math.Min(MaxSlots, _slots.Length * 2);
            Array.Resize(ref _slots, size);
            Array.Resize(ref _freeSlots, size);
        }
        return _slotsUsed++;
    }
}
