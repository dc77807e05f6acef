using FsCheck;
using FsCheck.Fluent;
using Sim.Core.Randomness;
using Sim.Models.Federated;

namespace Sim.Models.Tests.Federated;

/// <summary>Accounting invariants over randomly drawn configurations (FsCheck): whatever the knobs,
/// every selected client ends exactly one way, bytes balance between clients and server, rounds
/// respect their deadline, and a run is a pure function of its seed.</summary>
public class FederatedRandomConfigPropertyTests
{
    private static readonly ClientPopulation Population = SyntheticPopulation.Generate(new PopulationSpec(), 3_000, seed: 12);

    public sealed record Case(FederatedConfig Config, ulong Seed)
    {
        public override string ToString() =>
            $"{Config.Mode} K={Config.ClientsPerRound} o={Config.OverCommit} deadline={Config.DeadlineSeconds} edges={Config.EdgeAggregators} " +
            $"cancel={Config.CancelStragglers} sel={Config.Selection} C={Config.Concurrency} B={Config.BufferSize} down={Config.ServerDownlinkGbps} up={Config.ServerUplinkGbps} start={Config.StartTimeSeconds} max={Config.MaxTimeSeconds} seed={Seed}";
    }

    private static Gen<Case> Cases =>
        from mode in Gen.Elements(AggregationMode.Sync, AggregationMode.Async)
        from k in Gen.Choose(1, 40)
        from o10 in Gen.Choose(0, 10)
        from deadline in Gen.Elements(double.PositiveInfinity, 60.0, 200.0, 1000.0)
        from edges in Gen.Choose(0, 4)
        from cancel in Gen.Elements(true, false)
        from selection in Gen.Elements(SelectionPolicy.Random, SelectionPolicy.Fastest)
        from concurrency in Gen.Choose(1, 60)
        from buffer in Gen.Choose(1, 15)
        from down in Gen.Elements(0.05, 1.0, double.PositiveInfinity)
        from up in Gen.Elements(0.02, 1.0, double.PositiveInfinity)
        from hour in Gen.Choose(0, 23)
        from seed in Gen.Choose(0, 1000)
        from horizon in Gen.Elements(300.0, 5 * 86400.0) // short horizons cut runs off mid-round
        select new Case(new FederatedConfig
        {
            Mode = mode, Rounds = 15, ClientsPerRound = k, OverCommit = o10 / 10.0, DeadlineSeconds = deadline,
            EdgeAggregators = mode == AggregationMode.Sync ? edges : 0, CancelStragglers = cancel, Selection = selection,
            Concurrency = concurrency, BufferSize = buffer, ServerDownlinkGbps = down, ServerUplinkGbps = up,
            ModelBytes = 5e6, ComputeJitter = new LogNormal(0, 0.4), AggregationSecondsPerUpdate = 0.01,
            StartTimeSeconds = hour * 3600.0, MaxTimeSeconds = hour * 3600.0 + horizon,
        }, (ulong)seed);

    [Fact]
    public void AccountingAndConservationHoldForAnyConfiguration()
    {
        var property = Prop.ForAll(Arb.From(Cases), c =>
        {
            var r = FederatedSimulation.Run(c.Config, Population, c.Seed);
            var again = FederatedSimulation.Run(c.Config, Population, c.Seed);
            double up = r.BytesUploadedCompleted + r.BytesUploadPartial;
            bool ok = r.Selected == r.Aggregated + r.Late + r.Dropped + r.Cancelled + r.StaleDiscarded
                && Math.Abs(up - r.ServerBytesReceived) <= 1e-9 * Math.Max(1, up)
                && Math.Abs(r.BytesDownloaded - r.ServerBytesSent) <= 1e-9 * Math.Max(1, r.BytesDownloaded)
                && r.WastedComputeSeconds <= r.ComputeSeconds * (1 + 1e-12)
                && r.Rounds.All(x => x.Duration <= c.Config.DeadlineSeconds + EdgeAggregateSlack(c.Config) && x.Aggregated <= c.Config.ClientsPerRound)
                && r.Rounds.All(x => x.Succeeded == (x.Aggregated >= c.Config.EffectiveMinUpdates) || r.HitTimeLimit && x == r.Rounds[^1])
                && r.SimulatedSeconds == again.SimulatedSeconds && r.Events == again.Events && r.WastedBytes == again.WastedBytes;
            return ok.Label(c.ToString());
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(40), property);
    }

    /// <summary>A sync round closes by its deadline, but its last accepted updates (and, with edges,
    /// the partial aggregates) may still be in flight to the server or in its aggregation queue.</summary>
    private static double EdgeAggregateSlack(FederatedConfig c)
    {
        int edges = c.EdgeAggregators;
        double folding = (c.ClientsPerRound + edges) * c.AggregationSecondsPerUpdate / c.AggregatorCores;
        // E partial aggregates share the server uplink; at least one always moves at min(capacity, backhaul).
        double slowest = Math.Min(c.ServerUplinkGbps, c.BackhaulGbps) * 1e9 / 8;
        double transfers = edges * c.EffectiveUpdateBytes / slowest;
        return (folding + transfers) * (1 + 1e-9) + 1e-9;
    }
}
