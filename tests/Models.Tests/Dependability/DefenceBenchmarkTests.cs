using Sim.Models.Dependability;

namespace Sim.Models.Tests.Dependability;

/// <summary>The `sim bench defences` tables: built from a cost model, every defence and size present,
/// extrapolated entries marked, and Krum's exponent read from the timings.</summary>
public class DefenceBenchmarkTests
{
    [Fact]
    public void Krum_exponent_of_the_committed_timings_is_quadratic()
    {
        Assert.InRange(DefenceBenchmark.KrumExponent(MeasuredAggregatorTimings.Points), 1.8, 2.3);
    }

    [Fact]
    public void Krum_exponent_of_an_exact_quadratic_is_two()
    {
        int[] workers = [8, 16, 32];
        var points = workers.Select(n => new TimingPoint("krum", n, 1000, 1e-9 * n * n)).ToArray();
        Assert.Equal(2, DefenceBenchmark.KrumExponent(points), 9);
    }

    [Fact]
    public void Sync_tables_cover_every_defence_and_size_and_mark_extrapolation()
    {
        string md = DefenceBenchmark.SyncTables(AggregationCostModel.Measured, 1.2e-6, 1 / 25e9, [8, 64, 512], [1_000_000, 100_000_000]);
        foreach (var d in DefenceBenchmark.Defences) Assert.Equal(2, md.Split('\n').Count(l => l.StartsWith($"| {d.Name} |", StringComparison.Ordinal)));
        var krumRows = md.Split('\n').Where(l => l.StartsWith("| krum |", StringComparison.Ordinal)).ToArray();
        // d = 1M, n <= 64 were timed; n = 512 and d = 100M were not.
        var cells = krumRows[0].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.DoesNotContain("*", cells[1]);
        Assert.DoesNotContain("*", cells[2]);
        Assert.EndsWith("*", cells[3]);
        Assert.All(krumRows[1].Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Skip(1), c => Assert.EndsWith("*", c));
        var meanCells = md.Split('\n').First(l => l.StartsWith("| mean |", StringComparison.Ordinal)).Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.All(meanCells.Skip(1), c => Assert.DoesNotContain("*", c)); // the all-reduce needs no timing
    }
}
