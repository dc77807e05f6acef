using System.Runtime.CompilerServices;

namespace Sim.Core.Collections;

/// <summary>How a <see cref="DaryHeap{T, TOrder}"/> orders its items: a strict total order, so that the
/// order items come out in never depends on the order they went in.</summary>
public interface IHeapOrder<T>
{
    /// <summary>True when <paramref name="a"/> comes out before <paramref name="b"/>.</summary>
    static abstract bool Before(in T a, in T b);
}

/// <summary>
/// The one min-heap of the code base: a 4-ary heap of small structs, ordered by <typeparamref name="TOrder"/>.
/// Why 4-ary: half the depth of a binary heap, and a node's four children sit next to each other, so each
/// level of a sift touches one or two cache lines (the kernel's agenda and the flow network's progressive
/// filling both pop in tight loops). Items are stored from index 3 so that the children of node k (4k+1..
/// 4k+4, plus 3) start at a multiple of 4, that is on one cache line for 16-byte items.
/// </summary>
/// <remarks>The order is a struct type parameter, so the JIT compiles a copy per order with the
/// comparison inlined: as fast as a hand-written heap. <see cref="Min"/>, <see cref="Pop"/> need a
/// non-empty heap (the caller checks <see cref="Count"/>); <see cref="Append"/> leaves the heap unordered
/// until <see cref="Heapify"/>.</remarks>
public sealed class DaryHeap<T, TOrder>(int capacity = 64) where T : struct where TOrder : IHeapOrder<T>
{
    private const int Offset = 3;

    private T[] _items = new T[Math.Max(4, capacity) + Offset];
    private int _count;

    public int Count => _count;

    /// <summary>The first item out; the caller checks <see cref="Count"/> first.</summary>
    public ref readonly T Min => ref _items[Offset];

    /// <summary>The items in heap order (not sorted), for moving them all elsewhere at once.</summary>
    public ReadOnlySpan<T> Items => _items.AsSpan(Offset, _count);

    public void Clear() => _count = 0;

    public void Push(in T item)
    {
        if (_count + Offset == _items.Length) Grow();
        var heap = _items;
        int i = _count++;
        while (i > 0)
        {
            int parent = (i - 1) >> 2;
            ref T p = ref heap[parent + Offset];
            if (!TOrder.Before(item, p)) break;
            heap[i + Offset] = p;
            i = parent;
        }
        heap[i + Offset] = item;
    }

    /// <summary>Adds <paramref name="item"/> without ordering; call <see cref="Heapify"/> before the next
    /// <see cref="Pop"/> or <see cref="Min"/>. n appends and one heapify cost O(n), n pushes O(n log n).</summary>
    public void Append(in T item)
    {
        if (_count + Offset == _items.Length) Grow();
        _items[Offset + _count++] = item;
    }

    /// <summary>Orders the items bottom-up (Floyd's method).</summary>
    public void Heapify()
    {
        for (int i = (_count - 2) >> 2; i >= 0; i--) SiftDown(i, _items[i + Offset], _count);
    }

    /// <summary>Removes and returns the first item; the caller checks <see cref="Count"/> first.</summary>
    public T Pop()
    {
        var top = _items[Offset];
        int n = --_count;
        if (n > 0) SiftDown(0, _items[n + Offset], n);
        return top;
    }

    /// <summary>Places <paramref name="item"/> at node <paramref name="i"/> or below, moving earlier children up.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void SiftDown(int i, T item, int n)
    {
        var heap = _items;
        while (true)
        {
            int first = (i << 2) + 1;
            if (first >= n) break;
            int best = first;
            int end = first + 4 < n ? first + 4 : n;
            for (int c = first + 1; c < end; c++)
                if (TOrder.Before(heap[c + Offset], heap[best + Offset])) best = c;
            if (!TOrder.Before(heap[best + Offset], item)) break;
            heap[i + Offset] = heap[best + Offset];
            i = best;
        }
        heap[i + Offset] = item;
    }

    private void Grow() => Array.Resize(ref _items, (_items.Length - Offset) * 2 + Offset);
}
