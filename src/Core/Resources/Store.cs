namespace Sim.Core;

/// <summary>
/// A warehouse shelf of items with limited room: producers <see cref="Put"/> items (waiting while the
/// shelf is full), consumers <see cref="Get"/> them in arrival order (waiting while it is empty).
/// </summary>
public sealed class Store<T>
{
    private readonly Queue<T> _items = new();
    private readonly Queue<(Event Done, T Item)> _putters = new();
    private readonly Queue<Event> _getters = new();

    public Store(Simulation simulation, int capacity = int.MaxValue)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a store needs capacity >= 1");
        Sim = simulation;
        Capacity = capacity;
    }

    public Simulation Sim { get; }
    public int Capacity { get; }
    public int Count => _items.Count;

    /// <summary>Adds <paramref name="item"/>; the event fires once it is on the shelf.</summary>
    public Event Put(T item)
    {
        var done = Sim.Event();
        _putters.Enqueue((done, item));
        Balance();
        return done;
    }

    /// <summary>Takes the oldest item; the event's value is the item.</summary>
    public Event Get()
    {
        var done = Sim.Event();
        _getters.Enqueue(done);
        Balance();
        return done;
    }

    private void Balance()
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            while (_putters.Count > 0 && _items.Count < Capacity)
            {
                var (done, item) = _putters.Dequeue();
                _items.Enqueue(item);
                done.Succeed(item);
                changed = true;
            }
            while (_getters.Count > 0 && _items.Count > 0)
            {
                _getters.Dequeue().Succeed(_items.Dequeue());
                changed = true;
            }
        }
    }
}
