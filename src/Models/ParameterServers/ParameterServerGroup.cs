using Sim.Core;
using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Models.ParameterServers;

/// <summary>
/// Sharded parameter servers (Li et al., "Scaling Distributed Machine Learning with the Parameter
/// Server", OSDI 2014), like a set of bank branches each keeping some of the accounts: workers push
/// gradients for every shard to the server holding it and pull fresh parameters back. Two things are
/// contended, as on real clusters: each server's NIC (transfers share its link on the network, the
/// classic incast) and its aggregation engine (a <see cref="Resource"/> of capacity 1 that applies one
/// push at a time at <see cref="AggregationBytesPerSecond"/>).
/// </summary>
public sealed class ParameterServerGroup
{
    private readonly INetwork _network;
    private readonly Resource[] _aggregators;

    /// <param name="workers">Endpoint ids of the workers.</param>
    /// <param name="servers">Endpoint ids of the servers.</param>
    /// <param name="aggregationBytesPerSecond">Gradient bytes a server folds into its parameters per second.</param>
    public ParameterServerGroup(INetwork network, IReadOnlyList<int> workers, IReadOnlyList<int> servers, KeySharding sharding,
        double aggregationBytesPerSecond)
    {
        if (workers.Count == 0) throw new SpecError("parameterServer.workers", "must list at least one worker");
        if (servers.Count != sharding.BytesPerServer.Count)
            throw new SpecError("parameterServer.servers", $"sharding is for {sharding.BytesPerServer.Count} servers, got {servers.Count}");
        SpecError.RequirePositive("parameterServer.aggregationBandwidth", aggregationBytesPerSecond);
        _network = network;
        Workers = workers; Servers = servers; Sharding = sharding;
        AggregationBytesPerSecond = aggregationBytesPerSecond;
        _aggregators = new Resource[servers.Count];
        for (int s = 0; s < servers.Count; s++) _aggregators[s] = new Resource(network.Simulation, 1, name: $"ps{s}.aggregator");
    }

    public IReadOnlyList<int> Workers { get; }
    public IReadOnlyList<int> Servers { get; }
    public KeySharding Sharding { get; }
    public double AggregationBytesPerSecond { get; }
    /// <summary>Each server's aggregation engine (utilisation, queue length).</summary>
    public IReadOnlyList<Resource> Aggregators => _aggregators;

    /// <summary>
    /// Bulk-synchronous step: every worker pushes to every server; a server waits for all workers'
    /// pushes (each aggregated in arrival order), then sends its shard back to every worker. Fires when
    /// every worker has every shard.
    /// </summary>
    public Event SynchronousStep()
    {
        var sim = _network.Simulation;
        var done = new Event[Servers.Count];
        for (int s = 0; s < Servers.Count; s++) done[s] = sim.Process(SyncServer(s), $"ps{s}.sync");
        return sim.AllOf(done);
    }

    private IEnumerable<Event> SyncServer(int s)
    {
        var sim = _network.Simulation;
        double bytes = Sharding.BytesPerServer[s];
        var aggregated = new Event[Workers.Count];
        for (int w = 0; w < Workers.Count; w++)
            aggregated[w] = sim.Process(ReceiveAndAggregate(s, w, bytes), $"ps{s}.push{w}");
        yield return sim.AllOf(aggregated);
        var pulls = new Event[Workers.Count];
        for (int w = 0; w < Workers.Count; w++) pulls[w] = _network.Transfer(bytes, Servers[s], Workers[w]);
        yield return sim.AllOf(pulls);
    }

    private IEnumerable<Event> ReceiveAndAggregate(int s, int w, double bytes)
    {
        var sim = _network.Simulation;
        yield return _network.Transfer(bytes, Workers[w], Servers[s]);
        using var engine = _aggregators[s].Request();
        yield return engine;
        yield return sim.Sleep(bytes / AggregationBytesPerSecond);
    }

    /// <summary>
    /// One worker pushes its gradient shard to every server; each server folds it in (one push at a time).
    /// With <paramref name="aggregate"/> false the bytes still cross the network but the server drops them
    /// (a late gradient under backup workers). Fires when every shard has been handled.
    /// </summary>
    public Event Push(int workerIndex, bool aggregate = true)
    {
        CheckWorker(workerIndex);
        var sim = _network.Simulation;
        var shards = new Event[Servers.Count];
        for (int s = 0; s < Servers.Count; s++)
            shards[s] = aggregate
                ? sim.Process(ReceiveAndAggregate(s, workerIndex, Sharding.BytesPerServer[s]), $"ps{s}.push{workerIndex}")
                : _network.Transfer(Sharding.BytesPerServer[s], Workers[workerIndex], Servers[s]);
        return sim.AllOf(shards);
    }

    /// <summary>One worker fetches the current parameters from every server.</summary>
    public Event Pull(int workerIndex)
    {
        CheckWorker(workerIndex);
        var shards = new Event[Servers.Count];
        for (int s = 0; s < Servers.Count; s++) shards[s] = _network.Transfer(Sharding.BytesPerServer[s], Servers[s], Workers[workerIndex]);
        return _network.Simulation.AllOf(shards);
    }

    private void CheckWorker(int workerIndex)
    {
        if ((uint)workerIndex >= (uint)Workers.Count) throw new ArgumentOutOfRangeException(nameof(workerIndex), workerIndex, $"must be in [0, {Workers.Count})");
    }

    /// <summary>
    /// Asynchronous push-pull of one worker (no waiting for others): push each shard, the server
    /// applies it, and replies with its current parameters. Fires when the worker has every shard back.
    /// </summary>
    public Event AsynchronousPushPull(int workerIndex)
    {
        CheckWorker(workerIndex);
        var sim = _network.Simulation;
        var replies = new Event[Servers.Count];
        for (int s = 0; s < Servers.Count; s++) replies[s] = sim.Process(AsyncServer(s, workerIndex), $"ps{s}.async{workerIndex}");
        return sim.AllOf(replies);
    }

    private IEnumerable<Event> AsyncServer(int s, int w)
    {
        double bytes = Sharding.BytesPerServer[s];
        foreach (var e in ReceiveAndAggregate(s, w, bytes)) yield return e;
        yield return _network.Transfer(bytes, Servers[s], Workers[w]);
    }
}
