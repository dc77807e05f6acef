using Sim.Core;

namespace Sim.Models.Federated;

/// <summary>
/// The server's folding table: each arriving update must be folded into the running aggregate
/// (weighted sum of model deltas), which takes compute time, and only <c>aggregator_cores</c>
/// updates can be folded at once; the rest queue, first come first served. Modelled as a Sim.Core
/// <see cref="Resource"/> with a fixed service time per update. With zero service time updates are
/// folded on arrival, without touching the resource.
/// </summary>
internal sealed class AggregationServer
{
    private readonly Simulation _sim;
    private readonly double _secondsPerUpdate;
    private readonly Action<long> _folded;
    private readonly Action<long> _serviceDone;
    private readonly Action<Event> _granted;
    private readonly Queue<long> _waitingTags = new();
    private readonly Queue<(Request Request, long Tag)> _inService = new();

    public AggregationServer(Simulation sim, int cores, double secondsPerUpdate, Action<long> folded)
    {
        _sim = sim;
        _secondsPerUpdate = secondsPerUpdate;
        _folded = folded;
        Cores = new Resource(sim, cores, name: "aggregator");
        _serviceDone = ServiceDone;
        _granted = Granted;
    }

    /// <summary>The aggregator's cores (utilisation and queue length are tracked there).</summary>
    public Resource Cores { get; }
    /// <summary>Updates submitted but not folded yet.</summary>
    public int Pending { get; private set; }

    /// <summary>Queues an update; <c>folded(tag)</c> is called once it is part of the aggregate.</summary>
    public void Submit(long tag)
    {
        Pending++;
        if (_secondsPerUpdate == 0) { Pending--; _folded(tag); return; }
        _waitingTags.Enqueue(tag);
        Cores.Request().AddCallback(_granted);
    }

    // All requests have equal priority and equal service time, so grants and completions both come
    // in submission order: FIFO queues pair them with their tags.
    private void Granted(Event e)
    {
        _inService.Enqueue(((Request)e, _waitingTags.Dequeue()));
        _sim.Schedule(_secondsPerUpdate, _serviceDone, 0);
    }

    private void ServiceDone(long _)
    {
        var (request, tag) = _inService.Dequeue();
        Cores.Release(request);
        Pending--;
        _folded(tag);
    }
}
