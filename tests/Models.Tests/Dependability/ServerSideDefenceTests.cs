using Sim.Models.Dependability;
using Sim.Models.Faults;
using Sim.Models.Federated;
using Sim.Models.Tests.Federated;
using Sim.Models.Tests.Training;
using Sim.Models.Training;

namespace Sim.Models.Tests.Dependability;

/// <summary>
/// Defences outside all-reduce data parallel (issue #18): a BSP parameter server and a synchronous
/// federated server that run a robust rule on a step's (round's) gathered gradients. Oracles: without
/// stragglers every step (round) is longer by exactly the rule's cost-model time on n gradients of the
/// largest shard (the round's accepted updates), and nothing else changes.
/// </summary>
public class ServerSideDefenceTests
{
    private static ParameterServerConfig Ps(DefenceCost? defence, PsConsistency mode = PsConsistency.Bsp, int backups = 0)
    {
        var (model, _) = TrainingFixtures.FourLayers();
        // No server folding cost, so that the plain run's push is the defended run's push (bytes only).
        return new ParameterServerConfig
        {
            Model = model, Workers = 8, MicroBatch = 1, Iterations = 10, Servers = 2, Consistency = mode,
            AggregationBytesPerSecond = double.MaxValue, BackupWorkers = backups, Defence = defence, Stragglers = StragglerModel.None,
        };
    }

    private static (TrainingResult Result, ParameterServerTraining Job) RunPs(ParameterServerConfig cfg)
    {
        var (_, compute) = TrainingFixtures.FourLayers();
        return ParameterServerTraining.Simulate(cfg, compute, 10e9, 25e9, 2e-6, flowLevel: true, seed: 3);
    }

    [Theory]
    [InlineData("median")]
    [InlineData("krum")]
    [InlineData("bulyan")]
    public void Bsp_step_with_a_defence_is_the_plain_step_plus_the_rule_time_on_the_largest_shard(string rule)
    {
        var defence = new DefenceCost(rule, Byzantine: 1);
        var (plain, _) = RunPs(Ps(null));
        var (defended, job) = RunPs(Ps(defence));
        var sharding = ParameterServerTraining.ShardModel(Ps(null));
        long coordinates = (long)Math.Ceiling(sharding.BytesPerServer.Max() / 4);
        double expected = defence.AggregationSeconds(AggregationCostModel.Measured, 8, coordinates);
        Assert.True(expected > 0);
        Assert.Equal(expected, job.DefenceSecondsPerStep);
        Assert.Equal(plain.IterationTimes.Count, defended.IterationTimes.Count);
        for (int i = 0; i < plain.IterationTimes.Count; i++)
            Assert.Equal(plain.IterationTimes[i] + expected, defended.IterationTimes[i], 1e-9);
        Assert.Contains($"{rule} on the servers", defended.Strategy);
    }

    [Fact]
    public void Bsp_defence_with_backup_workers_aggregates_n_minus_k_gradients()
    {
        var defence = new DefenceCost("krum", Byzantine: 1);
        var (_, job) = RunPs(Ps(defence, backups: 2));
        var sharding = ParameterServerTraining.ShardModel(Ps(null));
        long coordinates = (long)Math.Ceiling(sharding.BytesPerServer.Max() / 4);
        Assert.Equal(defence.AggregationSeconds(AggregationCostModel.Measured, 6, coordinates), job.DefenceSecondsPerStep);
    }

    [Fact]
    public void Plain_mean_on_a_parameter_server_changes_nothing()
    {
        var (plain, _) = RunPs(Ps(null) with { AggregationBytesPerSecond = 50e9 });
        var (mean, job) = RunPs(Ps(new DefenceCost("mean")) with { AggregationBytesPerSecond = 50e9 });
        Assert.Equal(0, job.DefenceSecondsPerStep);
        Assert.Equal(plain.IterationTimes, mean.IterationTimes);
    }

    [Theory]
    [InlineData(PsConsistency.Asp)]
    [InlineData(PsConsistency.Ssp)]
    public void Robust_rules_are_refused_for_asynchronous_parameter_servers(PsConsistency mode)
    {
        var e = Assert.Throws<ArgumentException>(() => Ps(new DefenceCost("median"), mode).Validate());
        Assert.StartsWith("defence.aggregator: median needs every gradient of a step", e.Message);
    }

    private static FederatedConfig Fed(DefenceCost? defence) => new()
    {
        Rounds = 4, ClientsPerRound = 7, OverCommit = 0.4, ModelBytes = 3e6, UpdateBytes = 4e6,
        ServerDownlinkGbps = double.PositiveInfinity, ServerUplinkGbps = double.PositiveInfinity, Defence = defence,
    };

    [Theory]
    [InlineData("median")]
    [InlineData("multi-krum")]
    public void Federated_round_with_a_defence_is_the_plain_round_plus_the_rule_time_on_the_accepted_updates(string rule)
    {
        var population = TestPopulations.Heterogeneous(10, seed: 5);
        var defence = new DefenceCost(rule, Byzantine: 2);
        var plain = FederatedSimulation.Run(Fed(null), population, seed: 9);
        var defended = FederatedSimulation.Run(Fed(defence), population, seed: 9);
        // 4 MB updates are 1,000,000 fp32 coordinates; the round aggregates K = 7 of them.
        double expected = defence.AggregationSeconds(AggregationCostModel.Measured, 7, 1_000_000);
        Assert.True(expected > 0);
        Assert.Equal(plain.Rounds.Count, defended.Rounds.Count);
        for (int r = 0; r < plain.Rounds.Count; r++)
        {
            Assert.Equal(plain.Rounds[r].Aggregated, defended.Rounds[r].Aggregated);
            Assert.Equal(plain.Rounds[r].Duration + expected, defended.Rounds[r].Duration, 1e-6);
        }
    }

    [Fact]
    public void Robust_rules_are_refused_for_buffered_asynchronous_federated_learning()
    {
        var e = Assert.Throws<ArgumentException>(() => (Fed(new DefenceCost("krum")) with { Mode = AggregationMode.Async }).Validate());
        Assert.StartsWith("defence: got krum", e.Message);
    }
}
