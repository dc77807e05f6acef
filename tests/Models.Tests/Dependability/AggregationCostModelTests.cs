using Sim.Models.Dependability;

namespace Sim.Models.Tests.Dependability;

public class AggregationCostModelTests
{
    [Fact]
    public void Recovers_coefficients_of_exact_data_and_extrapolates_by_the_complexity()
    {
        // Synthetic "measurements" of krum that follow 2 ms + 3 ns x n(n-1)/2 d exactly.
        double T(int n, int d) => 2e-3 + 3e-9 * n * (n - 1) / 2.0 * d;
        var points = new List<TimingPoint>();
        foreach (int n in new[] { 8, 16, 32 }) foreach (int d in new[] { 1000, 100_000 }) points.Add(new("krum", n, d, T(n, d)));
        var model = new AggregationCostModel(points);
        var c = model.For("krum");
        Assert.Equal(2e-3, c.Fixed, 9);
        Assert.Equal(3e-9, c.PerWork, 15);
        Assert.Equal(T(512, 100_000_000), model.Seconds("krum", 512, 100_000_000), 1e-9 * T(512, 100_000_000));
        Assert.True(model.IsMeasured("krum", 32, 100_000));
        Assert.False(model.IsMeasured("krum", 64, 100_000));
        Assert.False(model.IsMeasured("krum", 8, 1_000_000));
    }

    [Fact]
    public void Refuses_what_it_cannot_fit_or_does_not_know()
    {
        Assert.Throws<ArgumentException>(() => new AggregationCostModel([new("median", 8, 10, 1e-3)]));
        var model = new AggregationCostModel([new("median", 8, 10, 1e-3), new("median", 16, 10, 2e-3)]);
        Assert.Throws<DependabilitySettingException>(() => model.Seconds("krum", 8, 10));
    }

    [Fact]
    public void Committed_timings_cover_every_rule_and_show_krum_quadratic_in_n()
    {
        var model = AggregationCostModel.Measured;
        foreach (var name in AggregatorRegistry.AggregatorNames.Concat(AggregatorRegistry.PreAggregatorNames))
            Assert.True(model.Seconds(name, 16, 1_000_000) > 0, name);
        // Measured (not fitted) Krum times at the largest measured d: the slope of log t against log n
        // is 2 for an O(n^2 d) kernel.
        var points = MeasuredAggregatorTimings.Points;
        int d = points.Where(p => p.Rule == "krum").Max(p => p.Dimension);
        var krum = points.Where(p => p.Rule == "krum" && p.Dimension == d).ToArray();
        Assert.True(krum.Length >= 3);
        var x = krum.Select(p => Math.Log(p.Workers)).ToArray();
        var y = krum.Select(p => Math.Log(p.Seconds)).ToArray();
        double mx = x.Average(), my = y.Average();
        double slope = x.Zip(y, (a, b) => (a - mx) * (b - my)).Sum() / x.Sum(a => (a - mx) * (a - mx));
        Assert.InRange(slope, 1.8, 2.3);
        // The median grows about linearly in n at fixed d (n log n), far below Krum's exponent.
        var median = points.Where(p => p.Rule == "median" && p.Dimension == d).OrderBy(p => p.Workers).ToArray();
        double medianGrowth = Math.Log(median[^1].Seconds / median[0].Seconds) / Math.Log((double)median[^1].Workers / median[0].Workers);
        Assert.InRange(medianGrowth, 0.9, 1.6);
    }

    [Fact]
    public void Bulyan_cost_composed_from_krum_and_median_kernels_is_within_a_factor_of_its_own_timings()
    {
        // Bulyan = one distance matrix with Krum scoring + a sort of n - 2f values per coordinate. Its
        // own timings were not used to build that estimate, so they check it.
        var model = AggregationCostModel.Measured;
        foreach (var p in MeasuredAggregatorTimings.Points.Where(p => p.Rule == "bulyan" && p.Dimension >= 300_000))
            Assert.InRange(model.Seconds("bulyan", p.Workers, p.Dimension) / p.Seconds, 0.5, 1.5);
    }
}

public class DefenceCostTests
{
    [Fact]
    public void Bulyan_cost_follows_the_f_it_is_built_for()
    {
        // Bulyan = krum(n) + median(n - 2f): a larger f leaves fewer values to sort per coordinate.
        var model = AggregationCostModel.Measured;
        double f1 = new DefenceCost("bulyan", Byzantine: 1).AggregationSeconds(model, 32, 1_000_000);
        double f7 = new DefenceCost("bulyan", Byzantine: 7).AggregationSeconds(model, 32, 1_000_000);
        Assert.Equal(model.Seconds("krum", 32, 1_000_000) + model.Seconds("median", 30, 1_000_000), f1, 12);
        Assert.Equal(model.Seconds("krum", 32, 1_000_000) + model.Seconds("median", 18, 1_000_000), f7, 12);
        Assert.True(f7 < f1);
    }
}
