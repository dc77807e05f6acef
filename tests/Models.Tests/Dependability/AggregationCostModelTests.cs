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
}
