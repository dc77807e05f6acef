using Sim.Core;

namespace Sim.Models.Federated;

/// <summary>
/// The front door: one call runs a federated training job over a client population and returns its
/// report, e.g. <c>var result = FederatedSimulation.Run(config, population, seed: 1);</c>. The run is
/// a pure function of (config, population, seed): client selection, compute jitter and everything
/// else draw from named random streams of one <see cref="Simulation"/>.
/// </summary>
public static class FederatedSimulation
{
    public static FederatedResult Run(FederatedConfig config, ClientPopulation population, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(population);
        config.Validate();
        if (population.Count < config.ClientsPerRound && config.Mode == AggregationMode.Sync)
            throw new ArgumentException($"clients_per_round: {config.ClientsPerRound} exceeds the population of {population.Count} clients");

        var sim = new Simulation(seed);
        var selector = new ClientSelector(population, config, sim.Random("federated.selection"));
        // Start the clock at start_time_s (a time of day for diurnal traces).
        if (config.Mode == AggregationMode.Sync)
        {
            var sync = new SyncRounds(sim, population, config, selector);
            sim.ScheduleAt(config.StartTimeSeconds, _ => sync.Start(), 0);
            sim.Run(config.MaxTimeSeconds);
            sync.Stop(); // no-op unless max_time_s cut the run short
            return sync.Result(seed);
        }
        var async = new BufferedAsync(sim, population, config, selector);
        sim.ScheduleAt(config.StartTimeSeconds, _ => async.Start(), 0);
        sim.Run(config.MaxTimeSeconds);
        async.Finish(); // no-op unless max_time_s cut the run short
        return async.Result(seed);
    }
}
