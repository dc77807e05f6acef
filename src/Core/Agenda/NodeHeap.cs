using System.Runtime.CompilerServices;

namespace Sim.Core.Agenda;

/// <summary>
/// A pile of appointment cards kept so the earliest is always on top: a 4-ary min-heap of
/// (time, key) pairs, where the key packs the scheduling sequence number above a payload slot, so
/// equal times come out in the order they were booked.
///
/// Why this layout: nodes are 16 bytes and a node's four children are adjacent, so each level of a
/// sift touches one or two cache lines. The ladder in front of it (<see cref="EventQueue"/>) keeps
/// this heap small, so in steady state it lives in the first-level cache.
/// </summary>
internal sealed class NodeHeap
{
    internal struct Node
    {
        public double Time;
        /// <summary>Sequence number in the high bits, payload slot in the low bits.</summary>
        public ulong Key;
    }

    // Node k lives at index k + Offset, so the children of k (4k+1..4k+4) start at a multiple of 4.
    private const int Offset = 3;

    private Node[] _nodes = new Node[256 + Offset];
    private int _count;

    public int Count => _count;

    /// <summary>The earliest time; the caller checks <see cref="Count"/> first.</summary>
    public double MinTime => _nodes[Offset].Time;

    /// <summary>The earliest node; the caller checks <see cref="Count"/> first.</summary>
    public ref readonly Node Min => ref _nodes[Offset];

    /// <summary>The nodes in heap order (not sorted), for moving them all elsewhere at once.</summary>
    public ReadOnlySpan<Node> Nodes => _nodes.AsSpan(Offset, _count);

    public void Clear() => _count = 0;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool Before(in Node a, in Node b) => a.Time < b.Time || (a.Time == b.Time && a.Key < b.Key);

    public void Push(double time, ulong key)
    {
        var node = new Node { Time = time, Key = key };
        if (_count + Offset == _nodes.Length) Array.Resize(ref _nodes, (_nodes.Length - Offset) * 2 + Offset);
        var heap = _nodes;
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

    /// <summary>Removes the earliest node. The caller checks <see cref="Count"/> first.</summary>
    public Node Pop()
    {
        var heap = _nodes;
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
        return top;
    }
}
