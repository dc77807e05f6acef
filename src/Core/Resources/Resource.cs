using Sim.Core.Statistics;

namespace Sim.Core;

/// <summary>
/// A counter with a fixed number of clerks (<see cref="Capacity"/>): customers take a ticket
/// (<see cref="Request"/>), wait until a clerk is free, and hand the ticket back when done. Waiting
/// tickets are served by priority, then first come first served. A preemptive resource lets an urgent
/// request evict the least urgent current user, whose process is interrupted with a
/// <see cref="Preempted"/> cause. Utilisation and queue length are tracked as time averages.
/// </summary>
public sealed class Resource
{
    private readonly List<Request> _users;
    private readonly PriorityQueue<Request, (int Priority, long Sequence)> _queue = new();
    private int _queued;
    private long _sequence;

    public Resource(Simulation simulation, int capacity = 1, bool preemptive = false, string? name = null)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "a resource needs capacity >= 1");
        Sim = simulation;
        Capacity = capacity;
        Preemptive = preemptive;
        Name = name;
        _users = new List<Request>(Math.Min(capacity, 64));
        BusyUnits = new TimeWeighted(simulation.Now);
        QueueLengthOverTime = new TimeWeighted(simulation.Now);
    }

    public Simulation Sim { get; }
    public int Capacity { get; }
    public bool Preemptive { get; }
    public string? Name { get; }

    /// <summary>Units in use now.</summary>
    public int Count => _users.Count;
    /// <summary>Requests waiting now.</summary>
    public int QueueLength => _queued;
    public IReadOnlyList<Request> Users => _users;

    /// <summary>Time-weighted number of busy units; divide its mean by <see cref="Capacity"/> for utilisation.</summary>
    public TimeWeighted BusyUnits { get; }
    public TimeWeighted QueueLengthOverTime { get; }

    /// <summary>Mean fraction of capacity in use since the start.</summary>
    public double Utilisation => BusyUnits.Mean(Sim.Now) / Capacity;

    /// <summary>Asks for one unit. <paramref name="priority"/>: lower is more urgent.
    /// <paramref name="preempt"/>: may evict a less urgent user (preemptive resources only).</summary>
    public Request Request(int priority = 0, bool preempt = false)
    {
        if (preempt && !Preemptive) throw new InvalidOperationException($"resource {Name ?? "?"} is not preemptive");
        var req = new Request(this, priority, preempt, _sequence++, Sim.ActiveProcess);
        if (_users.Count < Capacity) Grant(req);
        else if (preempt && TryPreemptFor(req)) { }
        else
        {
            _queue.Enqueue(req, (priority, req.Sequence));
            _queued++;
            QueueLengthOverTime.Update(Sim.Now, _queued);
        }
        return req;
    }

    /// <summary>Returns a granted unit, or withdraws a request still waiting. Releasing twice is harmless.</summary>
    public void Release(Request request)
    {
        if (!ReferenceEquals(request.Resource, this)) throw new ArgumentException("the request belongs to another resource", nameof(request));
        if (request.UserIndex >= 0)
        {
            RemoveUser(request);
            ServeWaiting();
        }
        else if (!request.IsTriggered && !request.Cancelled)
        {
            request.Cancelled = true; // removed lazily when it reaches the head of the queue
            _queued--;
            QueueLengthOverTime.Update(Sim.Now, _queued);
        }
    }

    private void Grant(Request req)
    {
        req.UserIndex = _users.Count;
        req.GrantedAt = Sim.Now;
        _users.Add(req);
        BusyUnits.Update(Sim.Now, _users.Count);
        req.Succeed(req);
    }

    private void RemoveUser(Request req)
    {
        int i = req.UserIndex;
        int last = _users.Count - 1;
        if (i != last)
        {
            _users[i] = _users[last];
            _users[i].UserIndex = i;
        }
        _users.RemoveAt(last);
        req.UserIndex = -1;
        BusyUnits.Update(Sim.Now, _users.Count);
    }

    private void ServeWaiting()
    {
        while (_users.Count < Capacity && _queue.TryDequeue(out var next, out _))
        {
            if (next.Cancelled) continue;
            _queued--;
            QueueLengthOverTime.Update(Sim.Now, _queued);
            Grant(next);
        }
    }

    private bool TryPreemptFor(Request req)
    {
        // The victim is the least urgent user; among equals, the most recent one.
        Request? victim = null;
        foreach (var u in _users)
            if (victim == null || u.Priority > victim.Priority || (u.Priority == victim.Priority && u.Sequence > victim.Sequence))
                victim = u;
        if (victim == null || victim.Priority <= req.Priority) return false;
        RemoveUser(victim);
        if (victim.Owner is { IsAlive: true } owner) owner.Interrupt(new Preempted(req, victim.GrantedAt, this));
        Grant(req);
        return true;
    }
}
