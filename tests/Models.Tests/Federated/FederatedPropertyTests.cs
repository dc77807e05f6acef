using Sim.Core.Randomness;
using Sim.Models.Federated;

namespace Sim.Models.Tests.Federated;

/// <summary>Determinism and conservation under contention, jitter, diurnal dropouts and cancellations.</summary>
public class FederatedPropertyTests
{
    private static readonly ClientPopulation Diurnal = SyntheticPopulation.Generate(new PopulationSpec(), 20_000, seed: 4);

    private static FederatedConfig Stressed(AggregationMode mode) => new()
    {
        Mode = mode, Rounds = 60, ClientsPerRound = 50, OverCommit = 0.3, DeadlineSeconds = 900,
        ModelBytes = 20e6, ServerDownlinkGbps = 0.5, ServerUplinkGbps = 0.2, // contended NIC
        ComputeJitter = new LogNormal(0, 0.5), AggregationSecondsPerUpdate = 0.05, AggregatorCores = 2,
        StartTimeSeconds = 4 * 3600, // early morning: night windows are closing, so clients drop out
        Concurrency = 65, BufferSize = 10, Selection = SelectionPolicy.Random,
    };

    public static TheoryData<AggregationMode, SelectionPolicy> Modes => new()
    {
        { AggregationMode.Sync, SelectionPolicy.Random }, { AggregationMode.Sync, SelectionPolicy.Fastest },
        { AggregationMode.Async, SelectionPolicy.Random }, { AggregationMode.Async, SelectionPolicy.Fastest },
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void SameSeedGivesBitIdenticalResults(AggregationMode mode, SelectionPolicy selection)
    {
        var config = Stressed(mode) with { Selection = selection };
        var a = FederatedSimulation.Run(config, Diurnal, seed: 77);
        var b = FederatedSimulation.Run(config, Diurnal, seed: 77);
        var c = FederatedSimulation.Run(config, Diurnal, seed: 78);
        Assert.Equal(Fingerprint(a), Fingerprint(b));
        Assert.NotEqual(Fingerprint(a), Fingerprint(c));
        Assert.Equal(a.Rounds, b.Rounds);
        Assert.Equal(a.StalenessHistogram, b.StalenessHistogram);
        Assert.Equal(a.RoundTime.Kept.ToArray(), b.RoundTime.Kept.ToArray());
    }

    private static string Fingerprint(FederatedResult r) => string.Join("|", new double[]
    {
        r.SimulatedSeconds, r.Selected, r.Aggregated, r.Late, r.Dropped, r.Cancelled, r.StaleDiscarded, r.ComputeSeconds,
        r.WastedComputeSeconds, r.WastedBytes, r.BytesDownloaded, r.BytesUploadedCompleted, r.BytesUploadPartial,
        r.ServerBytesReceived, r.ServerBytesSent, r.Events, r.RoundTime.Sum, r.Staleness.Count > 0 ? r.Staleness.Sum : 0,
    }.Select(BitConverter.DoubleToInt64Bits));

    [Theory]
    [MemberData(nameof(Modes))]
    public void BytesReceivedByTheServerEqualBytesSentByClients(AggregationMode mode, SelectionPolicy selection)
    {
        var r = FederatedSimulation.Run(Stressed(mode) with { Selection = selection }, Diurnal, seed: 5);
        // The server side integrates link rates over time; the client side counts whole updates plus
        // the partial bytes of uploads that were cut off. The two bookkeepings must agree.
        double clientUploads = r.BytesUploadedCompleted + r.BytesUploadPartial;
        Assert.Equal(clientUploads, r.ServerBytesReceived, clientUploads * 1e-9);
        Assert.Equal(r.BytesDownloaded, r.ServerBytesSent, r.BytesDownloaded * 1e-9);
        // Every aggregated update was uploaded in full.
        Assert.True(r.BytesUploadedCompleted >= r.Aggregated * 20e6);
        // The scenario really exercises cut-off transfers and dropouts, or the check above is vacuous.
        Assert.True(r.Dropped + r.Cancelled > 0);
        Assert.True(r.BytesUploadPartial > 0 || mode == AggregationMode.Async && r.Dropped == 0);
    }

    [Fact]
    public void SelectedClientsAreAccountedForExactlyOnce()
    {
        var r = FederatedSimulation.Run(Stressed(AggregationMode.Sync), Diurnal, seed: 6);
        // Every participation ends in exactly one way: aggregated, late, dropped or cancelled.
        Assert.Equal(r.Selected, r.Aggregated + r.Late + r.Dropped + r.Cancelled);
        Assert.Equal(r.Selected, r.Rounds.Sum(x => (long)x.Selected));
        Assert.True(r.ParticipationRate > 0 && r.ParticipationRate <= 1);
    }

    [Fact]
    public void MoreServerBandwidthIsNeverSlower()
    {
        double previous = double.PositiveInfinity;
        foreach (double gbps in new[] { 0.1, 0.3, 1, 10, double.PositiveInfinity })
        {
            var config = Stressed(AggregationMode.Sync) with
            {
                ServerDownlinkGbps = gbps, ServerUplinkGbps = gbps, DeadlineSeconds = double.PositiveInfinity,
                OverCommit = 0, ComputeJitter = new Deterministic(1), StartTimeSeconds = 0,
            };
            var always = SyntheticPopulation.Generate(new PopulationSpec { AlwaysAvailableFraction = 1 }, 2_000, seed: 4);
            var r = FederatedSimulation.Run(config with { Rounds = 20 }, always, seed: 3);
            Assert.True(r.SimulatedSeconds <= previous * (1 + 1e-12), $"{gbps} Gbit/s: {r.SimulatedSeconds} > {previous}");
            previous = r.SimulatedSeconds;
        }
    }
}
