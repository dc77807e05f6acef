using Sim.Core;
using Sim.Models.Dependability;
using Sim.Models.Network;
using Sim.Models.Training;
using Sim.Scenarios.Training;

namespace Sim.Scenarios.Dependability;

/// <summary>
/// The gradient synchronisation of a data-parallel scenario whose defence cannot run inside an
/// all-reduce: the workers and one aggregation server on a star (each worker with its share of the
/// preset's NICs, the server with one NIC, as in parameter-server mode), the scenario's backend (the
/// flow network when it is closed_form, which simulates no transfers), and the defence's aggregation time from the measured cost
/// model (<see cref="AggregationCostModel.Measured"/>).
/// </summary>
public static class DefendedSync
{
    public sealed record Built(IGradientSync Sync, INetwork Network);

    /// <summary>Null when the scenario has no defence or its defence is plain averaging.</summary>
    public static Built? Build(TrainingScenario s, Simulation sim)
    {
        var defence = s.Dependability?.Defence;
        if (defence is null || defence.FitsInAllReduce) return null;
        int n = s.Workers;
        var network = AggregationStar.Build(s, sim);
        var costs = AggregationCostModel.Measured;
        var sync = new RobustAggregationSync(network, Enumerable.Range(0, n).ToArray(), n,
            d => defence.AggregationSeconds(costs, n, (long)Math.Ceiling(d)), s.DataParallel.GradientBytesPerParameter,
            $"{defence.Name} on an aggregation server (gather over the {(s.Backend.SimulatesTransfers ? s.Backend.Name : "flow")} network, measured aggregation cost)");
        return new Built(sync, network);
    }
}
