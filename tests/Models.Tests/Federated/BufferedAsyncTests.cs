using Sim.Core.Randomness;
using Sim.Models.Federated;

namespace Sim.Models.Tests.Federated;

/// <summary>FedBuff: versions every B updates, bounded concurrency, staleness per update.</summary>
public class BufferedAsyncTests
{
    private static ClientPopulation Identical(int n, float seconds)
    {
        var (sps, up, down, samples) = TestPopulations.FixedDuration(n, seconds);
        return new ClientPopulation(sps, up, down, samples);
    }

    private static FederatedConfig Async(int concurrency, int buffer, int versions) => new()
    {
        Mode = AggregationMode.Async, Concurrency = concurrency, BufferSize = buffer, Rounds = versions,
        ModelBytes = 0, ServerDownlinkGbps = double.PositiveInfinity, ServerUplinkGbps = double.PositiveInfinity,
    };

    [Fact]
    public void IdenticalClientsWithBufferOneHaveStalenessConcurrencyMinusOne()
    {
        // C identical clients all arrive together every D seconds. With B = 1 each arrival makes a
        // version; the j-th arrival of the first wave has staleness j, and every later arrival has
        // staleness C - 1 (its C - 1 peers each made a version since it downloaded).
        const int c = 4;
        var r = FederatedSimulation.Run(Async(c, 1, 40), Identical(100, 10f), seed: 1);
        Assert.Equal(40, r.ModelVersions);
        Assert.Equal(40, r.Aggregated);
        Assert.Equal(new long[] { 1, 1, 1, 37 }, r.StalenessHistogram);
        Assert.Equal(10 * 40 / c, r.SimulatedSeconds, 9);
    }

    [Fact]
    public void VersionsComeEveryBUpdatesAndThroughputIsConcurrencyOverDuration()
    {
        // C clients of duration D deliver C/D updates per second; B updates per version.
        var r = FederatedSimulation.Run(Async(20, 5, 40), Identical(500, 30f), seed: 2);
        Assert.Equal(200, r.Aggregated);
        Assert.Equal(200 / (20 / 30.0), r.SimulatedSeconds, 9);
        Assert.True(r.Selected >= 200 && r.Selected <= 200 + 20);
    }

    [Fact]
    public void StalenessGrowsWithConcurrencyAndMaxStalenessDiscards()
    {
        var population = SyntheticPopulation.Generate(new PopulationSpec { AlwaysAvailableFraction = 1 }, 5_000, seed: 9);
        var low = FederatedSimulation.Run(Async(10, 5, 50) with { ModelBytes = 1e6, ComputeJitter = new LogNormal(0, 0.5) }, population, seed: 3);
        var high = FederatedSimulation.Run(Async(100, 5, 50) with { ModelBytes = 1e6, ComputeJitter = new LogNormal(0, 0.5) }, population, seed: 3);
        Assert.True(high.Staleness.Mean > low.Staleness.Mean);
        Assert.Equal(high.Staleness.Count, high.StalenessHistogram.Sum());
        var bounded = FederatedSimulation.Run(Async(100, 5, 50) with { ModelBytes = 1e6, ComputeJitter = new LogNormal(0, 0.5), MaxStaleness = 3 }, population, seed: 3);
        Assert.True(bounded.StaleDiscarded > 0);
        Assert.Equal(bounded.StalenessHistogram.Skip(4).Sum(), bounded.StaleDiscarded);
        Assert.True(bounded.WastedComputeSeconds > 0);
    }
}
