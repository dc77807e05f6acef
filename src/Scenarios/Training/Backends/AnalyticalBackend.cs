using Sim.Core;
using Sim.Models.Network;

namespace Sim.Scenarios.Training.Backends;

/// <summary><c>analytical</c>: every transfer simulated, each costing alpha-beta over its path, with no
/// contention between transfers (<see cref="AnalyticalNetwork"/>).</summary>
public sealed class AnalyticalBackend : TransferNetworkBackend
{
    public override string Name => "analytical";
    public override string Description => "every transfer simulated, alpha-beta per path, no contention";
    public override string Summary => "analytical (alpha-beta per transfer)";
    // Measured on the development VM (CostRates): dgx-a100 at 1,024 vs 4,096 nodes took +25 MB (~1,000 B
    // per GPU); 9.8x10^5 events in ~2.5 s at 4,096 nodes; every rank's transfer of a bucket is an event.
    public override Cost.BackendCostRates CostRates { get; } = new(1_200, 4e5, workers => 2 + 1.5 * workers);
    public override INetwork CreateNetwork(Simulation simulation, Topology topology) => new AnalyticalNetwork(simulation, topology);
}
