using Sim.Core;
using Sim.Core.Registries;
using Sim.Models.Collectives;
using Sim.Models.Network;
using Sim.Models.Training;

namespace Sim.Scenarios.Training.Backends;

/// <summary>
/// A network backend a scenario can name in <c>network.backend</c> (ASTRA-sim's seam between the system
/// layer and the network): it turns a topology into what carries a training job's traffic. Registered
/// in <see cref="NetworkBackends"/>.
/// </summary>
public interface INetworkBackend : IRegistered
{
    /// <summary>How results metadata describes it ("flow-level (max-min fair)").</summary>
    string Summary { get; }

    /// <summary>True when every point-to-point transfer is simulated. A backend that only prices whole
    /// collectives by formula cannot carry pipeline sends or parameter-server pushes; modes that need
    /// transfers (<see cref="Modes.ITrainingMode.NeedsTransfers"/>) refuse it when the scenario is read.</summary>
    bool SimulatesTransfers { get; }

    /// <summary>What a run on this backend costs per unit, for the estimate printed before a run.</summary>
    Cost.BackendCostRates CostRates { get; }

    /// <summary>The network that carries transfers on <paramref name="topology"/>; null exactly when
    /// <see cref="SimulatesTransfers"/> is false.</summary>
    INetwork? CreateNetwork(Simulation simulation, Topology topology);

    /// <summary>Gradient all-reduce among <paramref name="ranks"/>, over <paramref name="network"/> (the one
    /// <see cref="CreateNetwork"/> returned for the same simulation and topology).</summary>
    IGradientSync CreateGradientSync(Simulation simulation, Topology topology, INetwork? network, IReadOnlyList<int> ranks,
        CollectiveAlgorithm algorithm, int gpusPerNode);
}
