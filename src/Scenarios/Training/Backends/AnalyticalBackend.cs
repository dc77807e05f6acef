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
    public override INetwork CreateNetwork(Simulation simulation, Topology topology) => new AnalyticalNetwork(simulation, topology);
}
