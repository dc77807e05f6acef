namespace Sim.Scenarios.Sweeps;

/// <summary>
/// A sweep's results folder is not in the state an operation needs (missing or duplicated runs,
/// results of another sweep). Like a stock-take discrepancy report, the message names the items.
/// </summary>
public sealed class SweepException(string message) : Exception(message);
