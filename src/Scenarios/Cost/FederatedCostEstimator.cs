using Sim.Models.Federated;
using Sim.Scenarios.Federated;

namespace Sim.Scenarios.Cost;

/// <summary>
/// Estimates a federated scenario's cost before any simulation: clients (population arrays),
/// rounds x selected clients (events) and edge aggregators. An order of magnitude, rounded up.
/// </summary>
public static class FederatedCostEstimator
{
    public static RunCost Estimate(FederatedScenario s)
    {
        var c = s.Config;
        double replications = s.Replications;
        double perRound = c.Mode == AggregationMode.Sync ? c.SelectedPerRound : c.BufferSize;
        // download, train, upload and fold per participating client, plus round bookkeeping
        double events = replications * (c.Rounds * (4.0 * perRound + 10) + 4.0 * c.Concurrency);
        double memory = CostRates.BaselineBytes
            + s.EstimatedClients * CostRates.BytesPerClient
            + replications * c.Rounds * CostRates.BytesPerRound
            + (double)c.EdgeAggregators * 2_000
            + (double)c.Concurrency * 500;
        string driver = $"{s.EstimatedClients:N0} clients, {c.Rounds:N0} rounds x {perRound:N0} clients";
        return new RunCost(events, memory, events / CostRates.FederatedEventsPerSecond, driver);
    }
}
