using Sim.Models.Federated;

namespace Sim.Models.Tests.Federated;

/// <summary>Synchronous FedAvg against closed forms: with every client selected, always online and no
/// server contention, a round lasts exactly the K-th smallest client completion time.</summary>
public class SyncRoundOracleTests
{
    private static double[] CompletionTimes(ClientPopulation p, FederatedConfig c)
    {
        var t = new double[p.Count];
        for (int i = 0; i < p.Count; i++)
        {
            double download = c.ModelBytes / (double)p.DownlinkBytesPerSecond[i];
            double train = c.LocalEpochs * (double)p.Samples[i] * p.SecondsPerSample[i];
            double upload = c.EffectiveUpdateBytes / (double)p.UplinkBytesPerSecond[i];
            t[i] = download + train + upload;
        }
        return t;
    }

    [Theory]
    [InlineData(7, 0.4, 1)]   // selects ceil(7 * 1.4) = 10 = the whole population
    [InlineData(10, 0.0, 2)]  // K = population: the round waits for the slowest
    [InlineData(1, 9.0, 3)]   // the fastest of 10 wins
    public void RoundTimeIsTheKthOrderStatisticOfCompletionTimes(int k, double overCommit, int epochs)
    {
        var population = TestPopulations.Heterogeneous(10, seed: 5);
        var config = new FederatedConfig
        {
            Rounds = 5, ClientsPerRound = k, OverCommit = overCommit, LocalEpochs = epochs,
            ModelBytes = 3e6, UpdateBytes = 1e6,
            ServerDownlinkGbps = double.PositiveInfinity, ServerUplinkGbps = double.PositiveInfinity,
        };
        Assert.Equal(10, config.SelectedPerRound);
        var times = CompletionTimes(population, config);
        Array.Sort(times);
        double kth = times[k - 1];

        var result = FederatedSimulation.Run(config, population, seed: 9);

        Assert.Equal(5, result.RoundsSucceeded);
        Assert.Equal(kth, result.Rounds[0].Duration); // exact: same floating-point sums from t = 0
        foreach (var round in result.Rounds)
        {
            Assert.Equal(kth, round.Duration, 1e-9 * kth);
            Assert.Equal(k, round.Aggregated);
            Assert.Equal(10 - k, round.Cancelled);
        }
        Assert.Equal(5 * kth, result.SimulatedSeconds, 1e-9 * kth);
    }

    [Fact]
    public void AggregationQueueAddsTheFifoServiceTimesOfTheAcceptedUpdates()
    {
        // One aggregator core with service time a: update j (in arrival order) finishes folding at
        // f_j = max(arrival_j, f_{j-1}) + a; the round ends when the K-th accepted update is folded.
        var population = TestPopulations.Heterogeneous(6, seed: 11);
        const double a = 4.0;
        var config = new FederatedConfig
        {
            Rounds = 1, ClientsPerRound = 4, OverCommit = 0.5, ModelBytes = 1e6,
            ServerDownlinkGbps = double.PositiveInfinity, ServerUplinkGbps = double.PositiveInfinity,
            AggregationSecondsPerUpdate = a, AggregatorCores = 1,
        };
        var arrivals = CompletionTimes(population, config);
        Array.Sort(arrivals);
        double folded = 0;
        for (int j = 0; j < 4; j++) folded = Math.Max(arrivals[j], folded) + a;

        var result = FederatedSimulation.Run(config, population, seed: 1);

        Assert.Equal(folded, result.Rounds[0].Duration, 1e-9 * folded);
        Assert.Equal(4, result.Aggregated);
    }

    [Fact]
    public void TimeToAccuracyFollowsTheCurveInWholeRounds()
    {
        var (sps, up, down, samples) = TestPopulations.FixedDuration(20, 30f);
        var population = new ClientPopulation(sps, up, down, samples);
        var config = new FederatedConfig
        {
            Rounds = 12, ClientsPerRound = 10, OverCommit = 0, ModelBytes = 0,
            ServerDownlinkGbps = double.PositiveInfinity, ServerUplinkGbps = double.PositiveInfinity,
            AccuracyCurve = [(0, 0.0), (10, 0.5)], TargetAccuracy = 0.26, // needs 5.2 -> 6 rounds
        };
        var result = FederatedSimulation.Run(config, population, seed: 3);
        Assert.Equal(6, result.ProgressToTarget);
        Assert.Equal(6 * 30.0, result.TimeToTargetSeconds!.Value, 1e-9);
        Assert.Equal(0.5, result.FinalAccuracy);
    }

    [Fact]
    public void AccuracyCurveInterpolatesLinearlyAndIsFlatOutside()
    {
        var curve = new AccuracyCurve([(10, 0.2), (20, 0.6), (40, 0.7)]);
        Assert.Equal(0.2, curve.AccuracyAt(0));
        Assert.Equal(0.4, curve.AccuracyAt(15), 12);
        Assert.Equal(0.65, curve.AccuracyAt(30), 12);
        Assert.Equal(0.7, curve.AccuracyAt(1000));
        Assert.Equal(18, curve.ProgressToReach(0.5));   // 10 + 0.3/0.4*10 = 17.5 -> 18
        Assert.Equal(0, curve.ProgressToReach(0.1));
        Assert.Null(curve.ProgressToReach(0.71));
        Assert.Throws<ArgumentException>(() => new AccuracyCurve([(10, 0.2), (10, 0.3)]));
    }
}
