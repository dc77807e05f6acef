namespace Sim.Core;

/// <summary>
/// A warehouse shelf of items with limited room: producers <see cref="Put"/> items (waiting while the
/// shelf is full), consumers <see cref="Get"/> them in arrival order (waiting while it is empty).
/// </summary>
public sealed class Store<T> : PutGetQueues<T, bool>
{
    private readonly Queue<T> _items = new();

    public Store(Simulation simulation, int capacity = int.MaxValue) : base(simulation)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a store needs capacity >= 1");
        Capacity = capacity;
    }

    public int Capacity { get; }
    public int Count => _items.Count;

    /// <summary>Adds <paramref name="item"/>; the event fires once it is on the shelf.</summary>
    public Event Put(T item) => EnqueuePut(item);

    /// <summary>Takes the oldest item; the event's value is the item.</summary>
    public Event Get() => EnqueueGet(true);

    protected override bool TryPut(T item, out object? value)
    {
        value = item;
        if (_items.Count >= Capacity) return false;
        _items.Enqueue(item);
        return true;
    }

    protected override bool TryGet(bool _, out object? value)
    {
        value = null;
        if (_items.Count == 0) return false;
        value = _items.Dequeue();
        return true;
    }
}
