using Sim.Core;
using Sim.Models.Compute;
using Sim.Models.Dependability;
using Sim.Models.Network;
using Sim.Models.Tests.Training;
using Sim.Models.Training;

namespace Sim.Models.Tests.Dependability;

/// <summary>
/// Coded computation as a training step (the `coding:` key): the scheme's load, tolerance and checks,
/// the decoding cost fitted to the measured decoders, and one synchronous step against its closed form:
/// load x the plain compute, then the fastest n - s messages gathered to the master through its link,
/// the decode, and the push-back.
/// </summary>
public class CodedComputationTests
{
    [Theory]
    [InlineData("cyclic", 16, 2, 3, 2, 14)]
    [InlineData("fractional", 16, 3, 4, 3, 13)]
    [InlineData("replication", 15, 3, 3, 0, 15)]
    public void Scheme_load_and_survivors(string scheme, int n, int t, int load, int ignored, int survivors)
    {
        var c = new CodingScheme(scheme, n, t);
        Assert.Equal(load, c.Load);
        Assert.Equal(ignored, c.Ignored);
        Assert.Equal(survivors, c.Survivors);
    }

    [Theory]
    [InlineData("fractional", 16, 2, "coding.stragglers", "fractional repetition needs s + 1 to divide n")]
    [InlineData("cyclic", 16, 16, "coding.stragglers", "must be in 1..15")]
    [InlineData("cyclic", 16, 0, "coding.stragglers", "must be in 1..15")]
    [InlineData("replication", 16, 3, "coding.replication", "must divide the number of workers")]
    [InlineData("replication", 16, 4, "coding.replication", "must be odd")]
    [InlineData("replication", 16, 1, "coding.replication", "must be an odd number >= 3")]
    [InlineData("lt", 16, 1, "coding.scheme", "expected one of cyclic, fractional, replication")]
    public void Impossible_codes_are_refused_naming_the_key(string scheme, int n, int t, string key, string problem)
    {
        var e = Assert.Throws<DependabilitySettingException>(() => new CodingScheme(scheme, n, t));
        Assert.Equal(key, e.KeyPath);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void Decoding_cost_fit_is_within_a_factor_of_every_measured_decode()
    {
        var model = DecodingCostModel.Measured;
        foreach (var p in MeasuredDecodingTimings.Points)
        {
            double fitted = model.Seconds(new CodingScheme(p.Scheme, p.Workers, p.Tolerance), p.Dimension);
            // Shared-machine timings of sub-millisecond decodes scatter; the fit must still be the right order.
            Assert.InRange(fitted / p.Seconds, 0.2, 5);
        }
        foreach (var (scheme, _) in CodingScheme.Schemes) Assert.InRange(model.PerWork(scheme), 1e-11, 1e-8);
    }

    [Fact]
    public void Load_scaled_compute_prices_one_pass_over_load_times_the_batch()
    {
        var (model, compute) = TrainingFixtures.FourLayers();
        var scaled = new LoadScaledCompute(compute, 3);
        foreach (var layer in model.Layers)
            foreach (var phase in new[] { Phase.Forward, Phase.Backward })
                Assert.Equal(compute.LayerTime(layer, phase, 24), scaled.LayerTime(layer, phase, 8));
        Assert.Equal(compute.PeakFlops, scaled.PeakFlops);
    }

    [Theory]
    [InlineData("cyclic", 8, 2)]
    [InlineData("fractional", 8, 1)]
    [InlineData("replication", 9, 3)]
    public void Coded_step_is_load_times_compute_plus_gather_of_survivors_decode_and_push_back(string scheme, int n, int t)
    {
        const double bandwidth = 1e10, latency = 1e-6;
        var (model, compute) = TrainingFixtures.FourLayers();
        var coding = new CodingScheme(scheme, n, t);
        var config = new DataParallelConfig
        {
            Model = model, Workers = n, MicroBatch = 2, Iterations = 3, Overlap = false, OptimizerSeconds = 0,
            BucketCapBytes = 1e12, FirstBucketCapBytes = 1e12, BackupWorkers = coding.Ignored,
        };
        double bytes = model.Layers.Sum(l => l.Parameters) * 4;
        double decode = DecodingCostModel.Measured.Seconds(coding, (long)(bytes / 4));
        var result = SyncDataParallel.Simulate(config, new LoadScaledCompute(compute, coding.Load), sim =>
        {
            var net = new FlowNetwork(sim, SingleSwitch.Star(n, 1, bandwidth, bandwidth, latency));
            var gather = new RobustAggregationSync(net, Enumerable.Range(0, coding.Survivors).ToArray(), n,
                d => DecodingCostModel.Measured.Seconds(coding, (long)Math.Ceiling(d)), 4, "test");
            return new CodedGatherSync(gather, n);
        }, seed: 1);
        double plainCompute = model.Layers.Sum(l => compute.LayerTime(l, Phase.Forward, 2) + compute.LayerTime(l, Phase.Backward, 2));
        double oneWay = 2 * latency + coding.Survivors * bytes / bandwidth;
        double expected = coding.Load * plainCompute + 2 * oneWay + decode;
        Assert.All(result.IterationTimes, t => Assert.Equal(expected, t, 1e-9 * expected));
    }
}
