using Sim.Core;
using Sim.Models.Network;

namespace Sim.Scenarios.Training.Backends;

/// <summary><c>flow</c>: every transfer is a flow; concurrent flows share links max-min fairly
/// (<see cref="FlowNetwork"/>).</summary>
public sealed class FlowBackend : TransferNetworkBackend
{
    public override string Name => "flow";
    public override string Description => "every transfer simulated with max-min fair sharing of links among concurrent flows";
    public override string Summary => "flow-level (max-min fair)";
    // Measured on the development VM (CostRates): +43 MB for 24,576 more GPUs (~1,750 B per GPU);
    // 1.9x10^6 events in 135 s; identical transfers of a bucket are one weighted flow (a few events).
    public override Cost.BackendCostRates CostRates { get; } = new(2_000, 1.4e4, _ => 10);
    public override INetwork CreateNetwork(Simulation simulation, Topology topology) => new FlowNetwork(simulation, topology);
}
