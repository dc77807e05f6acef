using System.Runtime.CompilerServices;

namespace Sim.Core.Agenda;

/// <summary>
/// One rung of the ladder: a row of pigeonholes, each covering an equal slice of time, into which
/// future appointments are dropped unsorted. Only the pigeonhole about to be served is ever sorted.
///
/// A bucket keeps the slot numbers of its first <see cref="InlineSlots"/> entries in its own header
/// and threads any more through the entries' <see cref="EntrySlot.Next"/> links. Why: when a bucket
/// is handed on, the slots named in its header can all be fetched from memory at once, where a
/// linked list would fetch them one after another. Buckets before <see cref="Current"/> have been
/// handed on (to a finer rung or the bottom heap); entries whose bucket index falls there belong
/// further down the ladder.
/// </summary>
internal sealed class Rung
{
    public const int InlineSlots = 14;

    [InlineArray(InlineSlots)]
    internal struct SlotNumbers
    {
        private int _first;
    }

    /// <summary>64 bytes: one bucket to a cache line.</summary>
    internal struct Bucket
    {
        public int Count;
        /// <summary>Head of the linked list of entries beyond the inline ones.</summary>
        public int Overflow;
        public SlotNumbers Slots;
    }

    private Bucket[] _buckets = new Bucket[64];
    private double _start;
    private double _inverseWidth;
    private int _bucketCount;

    public int BucketCount => _bucketCount;

    /// <summary>The first bucket not yet handed on.</summary>
    public int Current;

    /// <summary>Resets the rung to <paramref name="bucketCount"/> empty buckets covering
    /// [<paramref name="start"/>, <paramref name="start"/> + <paramref name="bucketCount"/> / <paramref name="inverseWidth"/>).</summary>
    public void Reset(double start, double inverseWidth, int bucketCount)
    {
        if (_buckets.Length < bucketCount) _buckets = new Bucket[Math.Max(bucketCount, _buckets.Length * 2)];
        else Array.Clear(_buckets, 0, bucketCount);
        _start = start;
        _inverseWidth = inverseWidth;
        _bucketCount = bucketCount;
        Current = 0;
    }

    /// <summary>The bucket of <paramref name="time"/>, clamped to the rung. Monotone in time (IEEE
    /// subtraction, multiplication and truncation all are), which is all the ordering needs: an entry
    /// never lands in an earlier bucket than an earlier-timed one.</summary>
    public int BucketOf(double time)
    {
        double x = (time - _start) * _inverseWidth;
        if (!(x > 0)) return 0;
        if (x >= _bucketCount) return _bucketCount - 1;
        return (int)x;
    }

    /// <summary>Starts loading bucket <paramref name="bucket"/>'s header (a hint; see EventQueue).</summary>
    public void Prefetch(int bucket)
    {
        MemoryHints.Prefetch(ref _buckets[bucket]);
    }

    public void Add(int bucket, int slot, ref EntrySlot entry)
    {
        ref Bucket b = ref _buckets[bucket];
        if (b.Count < InlineSlots) b.Slots[b.Count] = slot;
        else
        {
            entry.Next = b.Count == InlineSlots ? -1 : b.Overflow;
            b.Overflow = slot;
        }
        b.Count++;
    }

    /// <summary>Moves <see cref="Current"/> past empty buckets; false when the rung is used up.
    /// (Skipping an empty bucket is handing it on: nothing was in it.)</summary>
    public bool SkipEmpty()
    {
        var buckets = _buckets;
        int i = Current;
        while (i < _bucketCount && buckets[i].Count == 0) i++;
        Current = i;
        return i < _bucketCount;
    }

    public int CountAt(int bucket) => _buckets[bucket].Count;

    /// <summary>Hands on bucket <see cref="Current"/>: returns it, empties it here, moves past it.</summary>
    public Bucket Take()
    {
        var taken = _buckets[Current];
        _buckets[Current].Count = 0;
        Current++;
        return taken;
    }

    /// <summary>The bucket <paramref name="bucket"/> if it exists and holds entries, else a null reference.</summary>
    public ref readonly Bucket Peek(int bucket)
    {
        if ((uint)bucket < (uint)_bucketCount && _buckets[bucket].Count > 0) return ref _buckets[bucket];
        return ref Unsafe.NullRef<Bucket>(); // "none" without copying the bucket; callers test Unsafe.IsNullRef
    }
}
