using Sim.Core;
using Sim.Models.Network;
using Sim.Scenarios.Training;

namespace Sim.Scenarios.Dependability;

/// <summary>
/// The network of a step that gathers to one server (robust aggregation, or the decoding master of coded
/// computation): the scenario's n workers and one server on a star, each worker with its share of the
/// preset's NICs, the server with one NIC of <see cref="TrainingScenario.ServerBandwidth"/> (as in
/// parameter-server mode), on the scenario's backend, or on the flow network when the backend
/// (closed_form) simulates no transfers. The server is endpoint n.
/// </summary>
internal static class AggregationStar
{
    public static INetwork Build(TrainingScenario s, Simulation sim)
    {
        var node = s.Cluster.Node;
        double workerBandwidth = node.NicBandwidth * node.NicCount / node.DevicesPerNode;
        var topology = SingleSwitch.Star(s.Workers, 1, workerBandwidth, s.ServerBandwidth, node.NicLatency);
        return s.Backend.CreateNetwork(sim, topology) ?? new FlowNetwork(sim, topology);
    }
}
