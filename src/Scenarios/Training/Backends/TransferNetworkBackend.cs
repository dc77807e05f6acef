using Sim.Core;
using Sim.Models.Collectives;
using Sim.Models.Network;
using Sim.Models.Training;

namespace Sim.Scenarios.Training.Backends;

/// <summary>What the backends that simulate every transfer share: gradients are all-reduced by lowering
/// the collective algorithm to transfers on the backend's network.</summary>
public abstract class TransferNetworkBackend : INetworkBackend
{
    public abstract string Name { get; }
    public abstract string Description { get; }
    public abstract string Summary { get; }
    public bool SimulatesTransfers => true;
    public abstract Cost.BackendCostRates CostRates { get; }

    public abstract INetwork? CreateNetwork(Simulation simulation, Topology topology);

    public IGradientSync CreateGradientSync(Simulation simulation, Topology topology, INetwork? network, IReadOnlyList<int> ranks,
        CollectiveAlgorithm algorithm, int gpusPerNode) =>
        new CollectiveGradientSync(network ?? throw new ArgumentNullException(nameof(network), $"the {Name} backend all-reduces over its own network"),
            ranks, algorithm, gpusPerNode);
}
