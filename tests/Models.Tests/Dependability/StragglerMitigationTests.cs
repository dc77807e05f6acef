using Sim.Core;
using Sim.Core.Randomness;
using Sim.Models.Dependability;
using Sim.Models.Faults;

namespace Sim.Models.Tests.Dependability;

/// <summary>Iteration compute time under stragglers for plain sync, backup workers, gradient coding and DRACO.</summary>
public class StragglerMitigationTests
{
    /// <summary>E[X_(k:n)] for n i.i.d. Exponential(rate): sum_{i = n-k+1}^{n} 1 / (i rate) (Renyi's representation).</summary>
    private static double ExpectedOrderStatistic(int n, int k, double rate, out double variance)
    {
        double mean = 0;
        variance = 0;
        for (int i = n - k + 1; i <= n; i++) { mean += 1 / (i * rate); variance += 1 / (i * rate * i * rate); }
        return mean;
    }

    [Theory]
    [InlineData(12, 0)]
    [InlineData(12, 3)]
    [InlineData(12, 11)]
    public void Coding_waits_for_the_n_minus_s_th_order_statistic_of_the_straggler_model(int n, int s)
    {
        const double rate = 2, baseSeconds = 0.1;
        const int iterations = 20_000;
        var sim = new Simulation(7);
        var state = new StragglerState(sim, new StragglerModel { Jitter = new Exponential(rate) }, n);
        var scheme = StragglerMitigation.Coding(new CyclicRepetitionCode(n, s, new RandomStream(1)));
        double sum = 0;
        for (int it = 0; it < iterations; it++) sum += scheme.ComputeSeconds(state, 0, baseSeconds);
        double expected = baseSeconds * (s + 1) * ExpectedOrderStatistic(n, n - s, rate, out double variance);
        double standardError = baseSeconds * (s + 1) * Math.Sqrt(variance / iterations);
        Assert.InRange(sum / iterations, expected - 4 * standardError, expected + 4 * standardError);
    }

    [Fact]
    public void Persistent_slow_workers_coding_beats_waiting_iff_s_plus_1_is_below_the_slow_factor()
    {
        // Two workers of 16 run 5x slower, no jitter. Waiting for all costs 5 base; coding with s = 2
        // ignores them at load 3; backups (b = 2) ignore them at load 1 but drop their data; DRACO r = 3 waits for them.
        var sim = new Simulation(1);
        var state = new StragglerState(sim, new StragglerModel { SlowFraction = 2.0 / 16, SlowFactor = 5 }, 16);
        Assert.Equal(5.0, StragglerMitigation.None.ComputeSeconds(state, 0, 1), 12);
        Assert.Equal(3.0, StragglerMitigation.Coding(new CyclicRepetitionCode(16, 2, new RandomStream(1))).ComputeSeconds(state, 0, 1), 12);
        Assert.Equal(1.0, StragglerMitigation.BackupWorkers(2).ComputeSeconds(state, 0, 1), 12);
        Assert.False(StragglerMitigation.BackupWorkers(2).ExactGradient);
        Assert.Equal(15.0, StragglerMitigation.Replication(new ReplicationCode(15, 3)).ComputeSeconds(new StragglerState(sim, new StragglerModel { SlowFraction = 2.0 / 15, SlowFactor = 5 }, 15), 0, 1), 12);
        // s = 1 cannot ignore both slow workers: it pays load 2 and still waits for one at 5x.
        Assert.Equal(10.0, StragglerMitigation.Coding(new FractionalRepetitionCode(16, 1)).ComputeSeconds(state, 0, 1), 12);
    }
}
