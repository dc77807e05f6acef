using Sim.Core.Collections;

namespace Sim.Core.Tests;

/// <summary>The shared 4-ary heap pops in exactly sorted order, whether filled by pushes or by appends
/// and one heapify, and interleaved pushes and pops never lose or reorder an item.</summary>
public sealed class DaryHeapTests
{
    private struct ByValueThenId : IHeapOrder<(double Value, int Id)>
    {
        public static bool Before(in (double Value, int Id) a, in (double Value, int Id) b) => a.Value < b.Value || (a.Value == b.Value && a.Id < b.Id);
    }

    private static List<(double, int)> Items(int n, int seed)
    {
        var rng = new Random(seed);
        // Few distinct values, so ties are common and the id must break them.
        return Enumerable.Range(0, n).Select(i => ((double)rng.Next(20), i)).ToList();
    }

    [Theory]
    [InlineData(0), InlineData(1), InlineData(5), InlineData(1000)]
    public void PushesAndHeapifiedAppendsBothPopInSortedOrder(int n)
    {
        var items = Items(n, n);
        var sorted = items.OrderBy(x => x.Item1).ThenBy(x => x.Item2).ToList();
        var pushed = new DaryHeap<(double Value, int Id), ByValueThenId>(2);
        var appended = new DaryHeap<(double Value, int Id), ByValueThenId>(2);
        foreach (var x in items) { pushed.Push(x); appended.Append(x); }
        appended.Heapify();
        Assert.Equal(sorted, Drain(pushed));
        Assert.Equal(sorted, Drain(appended));
    }

    [Fact]
    public void InterleavedPushesAndPopsMatchASortedSet()
    {
        var heap = new DaryHeap<(double Value, int Id), ByValueThenId>();
        var reference = new SortedSet<(double, int)>();
        var rng = new Random(7);
        for (int i = 0; i < 20_000; i++)
        {
            if (reference.Count > 0 && rng.Next(3) == 0)
            {
                var expected = reference.Min;
                reference.Remove(expected);
                Assert.Equal(expected, heap.Pop());
            }
            else
            {
                var x = ((double)rng.Next(50), i);
                heap.Push(x);
                reference.Add(x);
            }
            Assert.Equal(reference.Count, heap.Count);
        }
    }

    private static List<(double, int)> Drain(DaryHeap<(double Value, int Id), ByValueThenId> heap)
    {
        var list = new List<(double, int)>();
        while (heap.Count > 0) list.Add(heap.Pop());
        return list;
    }
}
