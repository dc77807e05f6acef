namespace Sim.Models.Federated;

/// <summary>How the server aggregates, like a class that hands in homework all together at the bell
/// (synchronous FedAvg rounds) or a bakery that bakes whenever enough orders are in (FedBuff-style
/// buffered asynchronous aggregation).</summary>
public enum AggregationMode { Sync, Async }
