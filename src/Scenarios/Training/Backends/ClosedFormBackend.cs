using Sim.Core;
using Sim.Models.Collectives;
using Sim.Models.Network;
using Sim.Models.Training;

namespace Sim.Scenarios.Training.Backends;

/// <summary><c>closed_form</c>: no transfers at all; each gradient all-reduce costs its algorithm's
/// alpha-beta formula over the topology's slowest path (<see cref="ClosedFormAllReduce"/>). Cheap enough
/// for weeks of simulated training, but it can only price all-reduces.</summary>
public sealed class ClosedFormBackend : INetworkBackend
{
    public string Name => "closed_form";
    public string Description => "each all-reduce costs its algorithm's alpha-beta formula over the topology's slowest path (cheapest; for long horizons)";
    public string Summary => "closed-form collective costs";
    public bool SimulatesTransfers => false;
    // Measured on the development VM (CostRates): +12 MB for 24,576 more GPUs (~500 B per GPU); 10^7
    // events in 5 s; an all-reduce is one closed form (a few events per bucket).
    public Cost.BackendCostRates CostRates { get; } = new(600, 2e6, _ => 10);

    public INetwork? CreateNetwork(Simulation simulation, Topology topology) => null;

    public IGradientSync CreateGradientSync(Simulation simulation, Topology topology, INetwork? network, IReadOnlyList<int> ranks,
        CollectiveAlgorithm algorithm, int gpusPerNode) =>
        ClosedFormAllReduce.ForTopology(simulation, topology, ranks, algorithm, gpusPerNode);
}
