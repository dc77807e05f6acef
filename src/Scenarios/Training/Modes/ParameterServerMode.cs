using Sim.Core;
using Sim.Models.Network;
using Sim.Models.ParameterServers;
using Sim.Models.Training;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Training.Modes;

/// <summary>
/// <c>parameter_server</c>: workers pull parameters from and push gradients to sharded servers
/// (<see cref="ParameterServerTraining"/>) under BSP, ASP or SSP, on a star network around the servers.
/// Pushes and pulls are transfers, so it needs a backend that simulates them.
/// </summary>
[TrainingMode(30)]
public sealed class ParameterServerMode : ITrainingMode
{
    public string Name => "parameter_server";
    public string Description => "workers push gradients to and pull parameters from sharded servers (BSP, ASP, SSP)";
    public ModeSection? Section => new("parameter_server", TrainingScenarioSchema.ParameterServer, "Parameter-server settings (training.mode: parameter_server).");
    public bool SimulatesFailures => false;
    public bool SimulatesStragglers => true;
    public bool NeedsTransfers => true;
    /// <summary>Under BSP the servers can run a robust rule on each step's gathered gradients (issue #18).</summary>
    public bool SupportsDefences => true;

    public TrainingScenario Configure(TrainingScenario draft, ScenarioSection root, List<ScenarioError> errors)
    {
        var ps = root.GetSection("parameter_server");
        var dp = draft.DataParallel;
        var consistency = Enum.Parse<PsConsistency>(ps.GetString("consistency"), ignoreCase: true);
        var defence = draft.Dependability?.Defence;
        if (defence is { FitsInAllReduce: false } && consistency != PsConsistency.Bsp)
            errors.Add(root.ErrorAt("defence", $"{defence.Name} needs every gradient of a step side by side: use parameter_server.consistency: bsp (got {consistency.ToString().ToLowerInvariant()})"));
        var config = new ParameterServerConfig
        {
            Model = draft.Model, Workers = draft.Workers, MicroBatch = dp.MicroBatch, Iterations = dp.Iterations,
            Consistency = consistency, Defence = defence,
            Staleness = ps.GetInt("staleness"), Servers = ps.GetInt("servers"),
            AggregationBytesPerSecond = ps.GetDouble("aggregation_gbytes_per_s") * 1e9,
            GradientBytesPerParameter = dp.GradientBytesPerParameter, BackupWorkers = dp.BackupWorkers, Stragglers = dp.Stragglers,
        };
        return draft with
        {
            ParameterServer = config,
            ServerBandwidth = ps.Has("server_bandwidth_gbps") ? ps.GetDouble("server_bandwidth_gbps") * 1e9 / 8 : draft.ServerBandwidth,
        };
    }

    public ModeRun Build(TrainingScenario s, Simulation simulation)
    {
        var cfg = s.ParameterServer!;
        var node = s.Cluster.Node;
        // Each GPU worker gets its share of the server's NICs.
        double workerBandwidth = node.NicBandwidth * node.NicCount / node.DevicesPerNode;
        var topology = SingleSwitch.Star(cfg.Workers, cfg.Servers, workerBandwidth, s.ServerBandwidth, node.NicLatency);
        var network = s.Backend.CreateNetwork(simulation, topology)
            ?? throw new InvalidOperationException($"backend {s.Backend.Name} simulates no transfers; the scenario reader should have refused it for {Name}");
        var group = new ParameterServerGroup(network, Enumerable.Range(0, cfg.Workers).ToArray(),
            Enumerable.Range(cfg.Workers, cfg.Servers).ToArray(), ParameterServerTraining.ShardModel(cfg), cfg.AggregationBytesPerSecond);
        return new ModeRun(new ParameterServerTraining(simulation, cfg, s.Compute, group), network) { ReportsTransferCount = false };
    }

    public TrainingResult? SingleGpuBaseline(TrainingScenario scenario) => null;

    public string? StaleConsistency(ScenarioSection root)
    {
        string consistency = root.GetSection("parameter_server").GetString("consistency");
        return consistency is "asp" or "ssp" ? consistency : null;
    }

    /// <summary>Measured on ps-ssp.yaml (32 workers, 4 servers): ~4,900 events per iteration, ~40 per worker
    /// and server.</summary>
    public (double Events, string Driver) EstimateIteration(TrainingScenario scenario, double buckets)
    {
        var ps = scenario.ParameterServer!;
        return (scenario.Workers * (4 + 40.0 * ps.Servers),
            $"{scenario.DataParallel.Iterations:N0} iterations x {scenario.Workers:N0} workers x {ps.Servers:N0} servers");
    }
}
