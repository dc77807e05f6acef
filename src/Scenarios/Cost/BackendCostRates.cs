namespace Sim.Scenarios.Cost;

/// <summary>
/// What simulating with one network backend costs per unit, for <see cref="TrainingCostEstimator"/>: bytes of
/// topology, network and strategy state per GPU, kernel events per second, and kernel events per gradient
/// bucket of a data-parallel iteration (as a function of the worker count). Each backend states its own
/// (measured as in <see cref="CostRates"/>), so the estimator never asks which backend it is.
/// </summary>
public sealed record BackendCostRates(double BytesPerGpu, double EventsPerSecond, Func<double, double> EventsPerBucket);
