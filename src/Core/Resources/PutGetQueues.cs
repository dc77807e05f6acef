namespace Sim.Core;

/// <summary>
/// The common core of <see cref="Container"/> and <see cref="Store{T}"/> (SimPy's put/get resources): waiting
/// put requests and waiting get requests, each served in arrival order. After every new request the two
/// queues are settled: the oldest put is served if it fits, the oldest get if it can be met, until neither
/// moves (a served put can unblock a get and the other way round).
/// </summary>
/// <typeparam name="TPut">What a put request carries (an amount, an item).</typeparam>
/// <typeparam name="TGet">What a get request carries (an amount, or nothing).</typeparam>
public abstract class PutGetQueues<TPut, TGet>
{
    private readonly Queue<(Event Done, TPut Request)> _puts = new();
    private readonly Queue<(Event Done, TGet Request)> _gets = new();

    protected PutGetQueues(Simulation simulation) => Sim = simulation;

    public Simulation Sim { get; }

    /// <summary>Queues a put; the event fires when <see cref="TryPut"/> accepts it.</summary>
    protected Event EnqueuePut(TPut request) => Enqueue(_puts, request);

    /// <summary>Queues a get; the event fires when <see cref="TryGet"/> can meet it.</summary>
    protected Event EnqueueGet(TGet request) => Enqueue(_gets, request);

    /// <summary>Serves <paramref name="request"/> if there is room: updates the contents and returns true
    /// with the value the put event succeeds with; false leaves it waiting.</summary>
    protected abstract bool TryPut(TPut request, out object? value);

    /// <summary>Meets <paramref name="request"/> if the contents allow: updates them and returns true with
    /// the value the get event succeeds with; false leaves it waiting.</summary>
    protected abstract bool TryGet(TGet request, out object? value);

    private Event Enqueue<TRequest>(Queue<(Event, TRequest)> queue, TRequest request)
    {
        var done = Sim.Event();
        queue.Enqueue((done, request));
        Settle();
        return done;
    }

    private void Settle()
    {
        bool changed = true;
        while (changed)
        {
            changed = false;
            while (_puts.Count > 0 && TryPut(_puts.Peek().Request, out object? value))
            {
                _puts.Dequeue().Done.Succeed(value);
                changed = true;
            }
            while (_gets.Count > 0 && TryGet(_gets.Peek().Request, out object? value))
            {
                _gets.Dequeue().Done.Succeed(value);
                changed = true;
            }
        }
    }
}
