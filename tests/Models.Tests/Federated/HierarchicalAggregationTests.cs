using Sim.Core.Randomness;
using Sim.Models.Federated;

namespace Sim.Models.Tests.Federated;

/// <summary>Edge aggregators: model push, client rounds at the edges, partial aggregates to the server.</summary>
public class HierarchicalAggregationTests
{
    [Fact]
    public void RoundTimeIsPushPlusKthCompletionPlusAggregateUpload()
    {
        // Uncontended edges and server, backhaul b: every edge gets the model after model/b, clients
        // then run as without edges, the round closes at the K-th completion, and the partial
        // aggregates (sent in parallel) arrive update/b later.
        var population = TestPopulations.Heterogeneous(12, seed: 8);
        var config = new FederatedConfig
        {
            Rounds = 3, ClientsPerRound = 9, OverCommit = 1.0 / 3, ModelBytes = 2e6, UpdateBytes = 5e5,
            EdgeAggregators = 3, BackhaulGbps = 0.1,
            EdgeDownlinkGbps = double.PositiveInfinity, EdgeUplinkGbps = double.PositiveInfinity,
            ServerDownlinkGbps = double.PositiveInfinity, ServerUplinkGbps = double.PositiveInfinity,
        };
        Assert.Equal(12, config.SelectedPerRound);
        var completion = new double[12];
        for (int i = 0; i < 12; i++)
            completion[i] = config.ModelBytes / (double)population.DownlinkBytesPerSecond[i]
                            + (double)population.Samples[i] * population.SecondsPerSample[i]
                            + config.EffectiveUpdateBytes / (double)population.UplinkBytesPerSecond[i];
        Array.Sort(completion);
        double b = 0.1e9 / 8;
        double expected = config.ModelBytes / b + completion[8] + config.EffectiveUpdateBytes / b;

        var r = FederatedSimulation.Run(config, population, seed: 2);

        Assert.All(r.Rounds, round => Assert.Equal(expected, round.Duration, 1e-9 * expected));
        Assert.Equal(3 * 3 * config.ModelBytes, r.ModelBytesToEdges, 1e-6);
        Assert.Equal(3 * 3 * config.EffectiveUpdateBytes, r.EdgeAggregateBytesToServer, 1e-6);
    }

    [Fact]
    public void EdgesRelieveTheCentralServerNic()
    {
        var population = SyntheticPopulation.Generate(new PopulationSpec { AlwaysAvailableFraction = 1 }, 5_000, seed: 5);
        var flat = new FederatedConfig
        {
            Rounds = 20, ClientsPerRound = 100, OverCommit = 0.3, ModelBytes = 20e6,
            ServerDownlinkGbps = 1, ServerUplinkGbps = 1, ComputeJitter = new LogNormal(0, 0.3),
        };
        var tiered = flat with { EdgeAggregators = 10, EdgeDownlinkGbps = 1, EdgeUplinkGbps = 1, BackhaulGbps = 1 };
        var a = FederatedSimulation.Run(flat, population, seed: 4);
        var h = FederatedSimulation.Run(tiered, population, seed: 4);
        // The central NIC carries 2 x 10 transfers per round instead of 130 downloads and uploads.
        Assert.True(h.CentralServerBytes < a.CentralServerBytes / 5);
        // With ten 1 Gbit/s edges instead of one 1 Gbit/s server NIC, rounds get shorter.
        Assert.True(h.RoundTime.Mean < a.RoundTime.Mean);
        // Conservation still holds at the edges, and every selected client is accounted for once.
        double up = h.BytesUploadedCompleted + h.BytesUploadPartial;
        Assert.Equal(up, h.ServerBytesReceived, up * 1e-9);
        Assert.Equal(h.Selected, h.Aggregated + h.Late + h.Dropped + h.Cancelled);
    }

    [Fact]
    public void DeterministicWithDiurnalDropouts()
    {
        var population = SyntheticPopulation.Generate(new PopulationSpec(), 5_000, seed: 6);
        var config = new FederatedConfig
        {
            Rounds = 30, ClientsPerRound = 50, DeadlineSeconds = 300, ModelBytes = 10e6, EdgeAggregators = 4,
            BackhaulGbps = 0.5, EdgeDownlinkGbps = 0.5, EdgeUplinkGbps = 0.2, StartTimeSeconds = 5 * 3600,
            ComputeJitter = new LogNormal(0, 0.5),
        };
        var a = FederatedSimulation.Run(config, population, seed: 1);
        var b = FederatedSimulation.Run(config, population, seed: 1);
        Assert.Equal(a.Rounds, b.Rounds);
        Assert.Equal(a.EdgeAggregateBytesToServer, b.EdgeAggregateBytesToServer);
        Assert.True(a.Dropped > 0);
        Assert.Equal(a.Selected, a.Aggregated + a.Late + a.Dropped + a.Cancelled);
    }

    [Fact]
    public void AsyncWithEdgesIsRejectedNamingTheKey()
    {
        var config = new FederatedConfig { Mode = AggregationMode.Async, EdgeAggregators = 2 };
        var ex = Assert.Throws<ArgumentException>(() => config.Validate());
        Assert.StartsWith("edge_aggregators:", ex.Message);
    }
}
