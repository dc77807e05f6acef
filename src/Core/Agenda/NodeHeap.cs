using System.Runtime.CompilerServices;
using Sim.Core.Collections;

namespace Sim.Core.Agenda;

/// <summary>
/// The bottom of the agenda: the few dozen entries due next, as (time, key) nodes in the shared 4-ary
/// heap (<see cref="DaryHeap{T, TOrder}"/>), where the key packs the scheduling sequence number above a
/// payload slot, so equal times come out in the order they were booked. Nodes are 16 bytes and the
/// ladder in front of it (<see cref="EventQueue"/>) keeps this heap small, so in steady state it lives in
/// the first-level cache.
/// </summary>
internal sealed class NodeHeap
{
    internal struct Node
    {
        public double Time;
        /// <summary>Sequence number in the high bits, payload slot in the low bits.</summary>
        public ulong Key;
    }

    /// <summary>Earlier time first; equal times by key, that is by booking sequence.</summary>
    internal struct ByTimeThenKey : IHeapOrder<Node>
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool Before(in Node a, in Node b) => a.Time < b.Time || (a.Time == b.Time && a.Key < b.Key);
    }

    private readonly DaryHeap<Node, ByTimeThenKey> _heap = new(256);

    public int Count => _heap.Count;

    /// <summary>The earliest time; the caller checks <see cref="Count"/> first.</summary>
    public double MinTime => _heap.Min.Time;

    /// <summary>The earliest node; the caller checks <see cref="Count"/> first.</summary>
    public ref readonly Node Min => ref _heap.Min;

    /// <summary>The nodes in heap order (not sorted), for moving them all elsewhere at once.</summary>
    public ReadOnlySpan<Node> Nodes => _heap.Items;

    public void Clear() => _heap.Clear();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(double time, ulong key) => _heap.Push(new Node { Time = time, Key = key });

    /// <summary>Removes the earliest node. The caller checks <see cref="Count"/> first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Node Pop() => _heap.Pop();
}
