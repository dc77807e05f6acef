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
    public override INetwork CreateNetwork(Simulation simulation, Topology topology) => new FlowNetwork(simulation, topology);
}
