using Sim.Core;

namespace Sim.Models.Federated;

/// <summary>
/// What every federated aggregation strategy (<see cref="SyncRounds"/>, <see cref="BufferedAsync"/>) is
/// built from: the clients' participations (download, train, upload, with dropouts), the contended
/// aggregation server, the accuracy tracker and the client selector, wired to the strategy's three
/// reactions: an update arrived at the server, a participant dropped out, an update was folded in.
/// </summary>
internal abstract class FederatedServer
{
    protected readonly Simulation _sim;
    protected readonly FederatedConfig _config;
    protected readonly ClientSelector _selector;
    protected readonly Participations _participations;
    protected readonly AggregationServer _aggregator;
    protected readonly AccuracyTracker _accuracy;
    /// <summary>Scratch list for the clients a selection picks (reused, so selection allocates nothing).</summary>
    protected readonly List<int> _chosen = new();

    protected FederatedServer(Simulation sim, ClientPopulation population, FederatedConfig config, ClientSelector selector)
    {
        _sim = sim;
        _config = config;
        _selector = selector;
        _participations = new Participations(sim, population, config) { Arrived = Arrived, Dropped = Dropped };
        _aggregator = new AggregationServer(sim, config.AggregatorCores, config.AggregationSecondsPerUpdate, Folded);
        _accuracy = new AccuracyTracker(config);
    }

    /// <summary>The upload of participation <paramref name="slot"/> reached the server.</summary>
    protected abstract void Arrived(int slot);

    /// <summary>Participation <paramref name="slot"/> ended without an update (the device went away).</summary>
    protected abstract void Dropped(int slot);

    /// <summary>The aggregator folded one update in; <paramref name="tag"/> is what the strategy queued with it.</summary>
    protected abstract void Folded(long tag);
}
