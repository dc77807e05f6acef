namespace Sim.Models.Federated;

/// <summary>
/// A priority list where any entry can be pulled out, like a triage board where a patient who walks
/// out is simply crossed off wherever they stand. A binary min-heap of small integer ids ordered by a
/// caller-owned key array; each id's position is tracked so that removal and re-keying are
/// O(log n). A max-heap is obtained by storing negated keys.
/// </summary>
internal sealed class IndexedHeap
{
    private int[] _heap;
    private int[] _position; // id -> index in _heap, or -1
    private double[] _key;
    private int _count;

    public IndexedHeap(int capacity)
    {
        _heap = new int[Math.Max(4, capacity)];
        _position = new int[Math.Max(4, capacity)];
        _key = new double[Math.Max(4, capacity)];
        Array.Fill(_position, -1);
    }

    public int Count => _count;
    public int PeekId => _heap[0];
    public double PeekKey => _key[_heap[0]];
    public bool Contains(int id) => id < _position.Length && _position[id] >= 0;

    public void Insert(int id, double key)
    {
        EnsureId(id);
        if (_count == _heap.Length) Array.Resize(ref _heap, _heap.Length * 2);
        _key[id] = key;
        _heap[_count] = id;
        _position[id] = _count;
        SiftUp(_count++);
    }

    public void Remove(int id)
    {
        int i = _position[id];
        _position[id] = -1;
        int last = _heap[--_count];
        if (i == _count) return;
        _heap[i] = last;
        _position[last] = i;
        SiftUp(i);
        SiftDown(_position[last]);
    }

    public int Pop()
    {
        int id = _heap[0];
        Remove(id);
        return id;
    }

    private void EnsureId(int id)
    {
        if (id < _position.Length) return;
        int size = Math.Max(id + 1, _position.Length * 2);
        int old = _position.Length;
        Array.Resize(ref _position, size);
        Array.Resize(ref _key, size);
        Array.Fill(_position, -1, old, size - old);
    }

    private bool Less(int a, int b) => _key[a] < _key[b] || (_key[a] == _key[b] && a < b);

    private void SiftUp(int i)
    {
        int id = _heap[i];
        while (i > 0)
        {
            int parent = (i - 1) >> 1;
            int p = _heap[parent];
            if (!Less(id, p)) break;
            _heap[i] = p;
            _position[p] = i;
            i = parent;
        }
        _heap[i] = id;
        _position[id] = i;
    }

    private void SiftDown(int i)
    {
        int id = _heap[i];
        while (true)
        {
            int child = 2 * i + 1;
            if (child >= _count) break;
            if (child + 1 < _count && Less(_heap[child + 1], _heap[child])) child++;
            int c = _heap[child];
            if (!Less(c, id)) break;
            _heap[i] = c;
            _position[c] = i;
            i = child;
        }
        _heap[i] = id;
        _position[id] = i;
    }
}
