using Sim.Core.Randomness;
using Sim.Models.Dependability;

namespace Sim.Models.Tests.Dependability;

/// <summary>Each rule refuses (n, f) outside its guarantee with an error that names the key and the rule.</summary>
public class AggregatorPreconditionTests
{
    private static DependabilitySettingException Refuse(string rule, int n, int f) =>
        Assert.Throws<DependabilitySettingException>(() =>
            AggregatorRegistry.Create(rule, new AggregatorOptions { Workers = n, Dimension = 4, Byzantine = f, ClippingRadius = 1 }));

    private static void Accept(string rule, int n, int f) =>
        Assert.NotNull(AggregatorRegistry.Create(rule, new AggregatorOptions { Workers = n, Dimension = 4, Byzantine = f, ClippingRadius = 1 }));

    [Theory]
    [InlineData("krum", 6, 2, 7)]            // n > 2f + 2
    [InlineData("multi-krum", 6, 2, 7)]
    [InlineData("bulyan", 10, 2, 11)]        // n >= 4f + 3
    [InlineData("bulyan", 6, 1, 7)]
    [InlineData("trimmed-mean", 4, 2, 5)]    // n > 2f
    [InlineData("median", 4, 2, 5)]
    [InlineData("geometric-median", 6, 3, 7)]
    [InlineData("centered-clipping", 6, 3, 7)]
    public void Refused_at_the_boundary_and_accepted_one_worker_later(string rule, int refusedN, int f, int acceptedN)
    {
        var e = Refuse(rule, refusedN, f);
        Assert.Equal("defence.aggregator", e.KeyPath);
        Assert.Contains(rule, e.Message);
        Assert.Contains($"n = {refusedN}, f = {f}", e.Message);
        Assert.Contains(AggregatorRegistry.Aggregator(rule).Requirement, e.Message);
        Accept(rule, acceptedN, f);
    }

    [Fact]
    public void Unknown_names_list_the_known_ones()
    {
        var e = Assert.Throws<DependabilitySettingException>(() => AggregatorRegistry.Create("kurm", new AggregatorOptions { Workers = 5, Dimension = 1 }));
        Assert.Contains("unknown aggregator 'kurm'", e.Message);
        Assert.Contains("krum", e.Message);
        Assert.Contains("bulyan", e.Message);
    }

    [Fact]
    public void Required_parameters_are_demanded()
    {
        var cc = Assert.Throws<DependabilitySettingException>(() => AggregatorRegistry.Create("centered-clipping", new AggregatorOptions { Workers = 5, Dimension = 1 }));
        Assert.Equal("defence.clipping_radius", cc.KeyPath);
        var b = Assert.Throws<DependabilitySettingException>(() => AggregatorRegistry.CreatePreAggregator("bucketing", new AggregatorOptions { Workers = 5, Dimension = 1 }, new RandomStream(1)));
        Assert.Equal("defence.bucket_size", b.KeyPath);
        var m = Assert.Throws<DependabilitySettingException>(() => AggregatorRegistry.Create("multi-krum", new AggregatorOptions { Workers = 7, Dimension = 1, Byzantine = 1, Selected = 8 }));
        Assert.Equal("defence.selected", m.KeyPath);
    }

    [Fact]
    public void Bucketing_checks_the_rule_against_the_bucket_count()
    {
        // 12 workers in buckets of 3 are 4 inputs to Krum, which with f = 1 needs n > 4.
        var e = Assert.Throws<DependabilitySettingException>(() =>
            new RobustAggregation("krum", "bucketing", new AggregatorOptions { Workers = 12, Dimension = 2, Byzantine = 1, BucketSize = 3 }, new RandomStream(1)));
        Assert.Contains("n = 4", e.Message);
        Assert.NotNull(new RobustAggregation("krum", "bucketing", new AggregatorOptions { Workers = 12, Dimension = 2, Byzantine = 1, BucketSize = 2 }, new RandomStream(1)));
    }

    [Fact]
    public void Every_registered_rule_has_a_description_and_builds_when_its_precondition_holds()
    {
        foreach (var kind in AggregatorRegistry.Aggregators)
        {
            Assert.False(string.IsNullOrWhiteSpace(kind.Description));
            Assert.True(kind.Holds(7, 1), kind.Name);
            Accept(kind.Name, 7, 1);
        }
    }
}
