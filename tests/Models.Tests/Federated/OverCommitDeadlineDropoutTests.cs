using Sim.Models.Federated;

namespace Sim.Models.Tests.Federated;

/// <summary>Over-commitment, deadlines and dropouts behave as the protocol says they must.</summary>
public class OverCommitDeadlineDropoutTests
{
    private static readonly ClientPopulation Population = SyntheticPopulation.Generate(new PopulationSpec { AlwaysAvailableFraction = 1 }, 5_000, seed: 3);

    private static FederatedConfig Base => new()
    {
        Rounds = 40, ClientsPerRound = 40, ModelBytes = 5e6, ServerDownlinkGbps = 1, ServerUplinkGbps = 1,
        ComputeJitter = new Sim.Core.Randomness.LogNormal(0, 0.3),
    };

    [Fact]
    public void MoreOverCommitmentGivesShorterRoundsAndMoreWastedWork()
    {
        var results = new[] { 0.0, 0.3, 1.0 }.Select(o => FederatedSimulation.Run(Base with { OverCommit = o }, Population, seed: 5)).ToArray();
        for (int i = 1; i < results.Length; i++)
        {
            Assert.True(results[i].RoundTime.Mean < results[i - 1].RoundTime.Mean, $"mean round time {results[i].RoundTime.Mean} vs {results[i - 1].RoundTime.Mean}");
            Assert.True(results[i].WastedComputeSeconds > results[i - 1].WastedComputeSeconds);
            Assert.True(results[i].WastedBytes > results[i - 1].WastedBytes);
            Assert.True(results[i].ParticipationRate < results[i - 1].ParticipationRate);
        }
        Assert.Equal(0, results[0].WastedComputeSeconds); // nobody to cancel without over-commitment
        Assert.Equal(1.0, results[0].ParticipationRate);
    }

    [Fact]
    public void LettingStragglersFinishWastesAtLeastAsMuchAsCancellingThem()
    {
        var cancel = FederatedSimulation.Run(Base with { OverCommit = 0.5 }, Population, seed: 5);
        var finish = FederatedSimulation.Run(Base with { OverCommit = 0.5, CancelStragglers = false }, Population, seed: 5);
        Assert.All(finish.Rounds, r => Assert.Equal(0, r.Cancelled)); // only the end of training cancels the last stragglers
        Assert.True(finish.Cancelled < cancel.Cancelled);
        Assert.True(finish.Late > 0);
        Assert.True(finish.WastedComputeSeconds > cancel.WastedComputeSeconds);
    }

    [Fact]
    public void TighterDeadlinesFailMoreRounds()
    {
        var free = FederatedSimulation.Run(Base with { OverCommit = 0 }, Population, seed: 5);
        Assert.Equal(0, free.RoundsFailed);
        double p50 = free.RoundTime.P50, p10 = free.RoundTime.Percentile(0.1);
        int previous = -1;
        foreach (double deadline in new[] { 2 * free.RoundTime.Max, p50, p10, 0.5 * free.RoundTime.Min })
        {
            var r = FederatedSimulation.Run(Base with { OverCommit = 0, DeadlineSeconds = deadline }, Population, seed: 5);
            Assert.True(r.RoundsFailed >= previous, $"deadline {deadline}: {r.RoundsFailed} failed < {previous}");
            Assert.All(r.Rounds, round => Assert.True(round.Duration <= deadline * (1 + 1e-12)));
            previous = r.RoundsFailed;
        }
        Assert.Equal(40, previous); // a deadline below every round time fails them all
    }

    [Fact]
    public void ClientsWhoseIntervalEndsMidRoundDropOutExactly()
    {
        // Every client trains 100 s; client i is online [0, u_i). All are selected at t = 0, so
        // exactly those with u_i < 100 drop out.
        const int n = 200;
        var rng = new Random(17);
        var until = Enumerable.Range(0, n).Select(_ => 1 + 198 * rng.NextDouble()).ToArray();
        var (sps, up, down, samples) = TestPopulations.FixedDuration(n, 100f);
        var population = new ClientPopulation(sps, up, down, samples,
            Enumerable.Range(0, n + 1).ToArray(), new double[n], until);
        var config = new FederatedConfig { Rounds = 1, ClientsPerRound = n, OverCommit = 0, MinUpdates = 1, ModelBytes = 0 };
        var result = FederatedSimulation.Run(config, population, seed: 1);
        int expected = until.Count(u => u < 100);
        Assert.Equal(expected, result.Dropped);
        Assert.Equal(n - expected, result.Aggregated);
        Assert.Equal(100.0, result.Rounds[0].Duration);
    }

    [Fact]
    public void DropoutRateMatchesTheProbabilityComputedFromADiurnalTrace()
    {
        // Clients train for D = 2 h (no bytes). A client selected at t_r drops iff its availability
        // ends before t_r + D. Selection is uniform over online clients, so the expected dropouts of
        // round r are K' * q(t_r), q = share of clients online at t_r whose window ends within D.
        const float d = 7200;
        var diurnal = SyntheticPopulation.Generate(new PopulationSpec(), 4_000, seed: 21);
        var (sps, up, down, samples) = TestPopulations.FixedDuration(diurnal.Count, d);
        var population = diurnal.WithDevices(sps, up, down, samples);
        var config = new FederatedConfig
        {
            Rounds = 150, ClientsPerRound = 40, OverCommit = 0, MinUpdates = 1, ModelBytes = 0,
            StartTimeSeconds = 20 * 3600, RetryIntervalSeconds = 600,
        };
        var result = FederatedSimulation.Run(config, population, seed: 8);

        double expected = 0, variance = 0;
        foreach (var round in result.Rounds)
        {
            int online = 0, ending = 0;
            for (int i = 0; i < population.Count; i++)
            {
                double u = population.OnlineUntil(i, round.Start);
                if (u <= round.Start) continue;
                online++;
                if (u < round.Start + d) ending++;
            }
            double q = (double)ending / online;
            expected += round.Selected * q;
            variance += round.Selected * q * (1 - q); // binomial bound on the hypergeometric variance
        }
        Assert.True(expected > 50, $"test needs enough expected dropouts, got {expected}");
        Assert.InRange(result.Dropped, expected - 4 * Math.Sqrt(variance), expected + 4 * Math.Sqrt(variance));
        Assert.Equal(result.Rounds.Sum(r => r.Dropped), result.Dropped);
    }
}
