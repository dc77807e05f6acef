using Sim.Core.Randomness;
using Sim.Models.Dependability;

namespace Sim.Models.Tests.Dependability;

/// <summary>Each aggregation rule on inputs small enough to compute by hand.</summary>
public class AggregatorOracleTests
{
    private static float[] Run(string rule, GradientMatrix x, int f, Func<AggregatorOptions, AggregatorOptions>? tweak = null)
    {
        var o = new AggregatorOptions { Workers = x.Count, Dimension = x.Dimension, Byzantine = f };
        if (tweak is not null) o = tweak(o);
        var a = AggregatorRegistry.Create(rule, o);
        var output = new float[x.Dimension];
        a.Aggregate(x, output);
        return output;
    }

    /// <summary>One coordinate per worker: 1, 2, 3, 4, 5, 6 honest and 100 Byzantine.</summary>
    private static GradientMatrix Line() => GradientMatrix.From([1f], [2f], [3f], [4f], [5f], [6f], [100f]);

    [Fact]
    public void Mean_is_the_average()
    {
        var x = GradientMatrix.From([1f, 10f], [2f, 20f], [6f, 0f]);
        Assert.Equal([3f, 10f], Run("mean", x, 0));
    }

    [Fact]
    public void Median_takes_the_middle_value_per_coordinate_and_averages_the_middle_pair_for_even_n()
    {
        var odd = GradientMatrix.From([1f, 30f], [100f, 10f], [2f, 20f]);
        Assert.Equal([2f, 20f], Run("median", odd, 1));
        var even = GradientMatrix.From([1f], [100f], [2f], [4f]);
        Assert.Equal([3f], Run("median", even, 1));
    }

    [Fact]
    public void Trimmed_mean_drops_f_from_each_end()
    {
        // Sorted: 1 2 3 4 5 6 100; drop one at each end -> mean(2..6) = 4.
        Assert.Equal([4f], Run("trimmed-mean", Line(), 1));
        // f = 2 -> mean(3, 4, 5) = 4; f = 0 is the mean.
        Assert.Equal([4f], Run("trimmed-mean", Line(), 2));
        Assert.Equal([121f / 7f], Run("trimmed-mean", Line(), 0));
    }

    [Fact]
    public void Krum_scores_by_hand()
    {
        // n = 7, f = 1: scores sum the 4 smallest squared distances. 1:30, 2:15, 3:10, 4:10, 5:15, 6:30, 100:huge.
        // 3 and 4 tie at 10; the lower index (worker 2, value 3) wins.
        Assert.Equal([3f], Run("krum", Line(), 1));
        // Multi-Krum m = 3 averages 3, 4 and 2 (scores 10, 10, 15; 2 beats 5 on index) -> 3.
        Assert.Equal([3f], Run("multi-krum", Line(), 1, o => o with { Selected = 3 }));
        // m = 4 adds 5 -> 3.5. The default m = n - f = 6 takes all honest values -> 3.5.
        Assert.Equal([3.5f], Run("multi-krum", Line(), 1, o => o with { Selected = 4 }));
        Assert.Equal([3.5f], Run("multi-krum", Line(), 1));
    }

    [Fact]
    public void Krum_picks_the_honest_vector_at_the_centre_of_the_honest_cluster()
    {
        // Five honest gradients: the true gradient g = (1, 1, 1) and four perturbations of 0.1 along
        // axes; two colluding Byzantine workers send the same far vector, so their mutual distance is 0.
        float[] g = [1f, 1f, 1f];
        var x = GradientMatrix.From(
            [-5f, -5f, -5f],
            [1.1f, 1f, 1f], [1f, 1.1f, 1f], g, [0.9f, 1f, 1f],
            [-5f, -5f, -5f],
            [1f, 0.9f, 1f]);
        var krum = (MultiKrum)AggregatorRegistry.Create("krum", new AggregatorOptions { Workers = 7, Dimension = 3, Byzantine = 2 });
        var output = new float[3];
        krum.Aggregate(x, output);
        Assert.Equal(3, krum.LastSelection[0]);
        Assert.Equal(g, output);
    }

    [Fact]
    public void Bulyan_by_hand()
    {
        // n = 7, f = 1: theta = 5 Krum passes select 3, 4, 2, 5, 1 (see Krum_scores_by_hand, repeated on
        // the shrinking set); beta = 3 values closest to the selection's median 3 are 3, 4 (tie with 2,
        // the upper side wins) and 2 -> 3.
        var x = Line();
        var bulyan = (Bulyan)AggregatorRegistry.Create("bulyan", new AggregatorOptions { Workers = 7, Dimension = 1, Byzantine = 1 });
        var output = new float[1];
        bulyan.Aggregate(x, output);
        Assert.Equal([2, 3, 1, 4, 0], bulyan.LastSelection.ToArray());
        Assert.Equal([3f], output);
    }

    [Fact]
    public void Bulyan_averages_the_beta_values_closest_to_the_median()
    {
        // Median of 0 1 2 9 10 is 2; the three closest are 2, 1, 0 -> 1 (not the centred window 1 2 9).
        Assert.Equal(1f, Bulyan.MeanClosestToMedian([0f, 1f, 2f, 9f, 10f], 3));
    }

    [Fact]
    public void Geometric_median_of_a_square_is_its_centre_and_of_collinear_points_the_median()
    {
        var square = GradientMatrix.From([0f, 0f], [2f, 0f], [0f, 2f], [2f, 2f]);
        Assert.Equal([1f, 1f], Run("geometric-median", square, 1));
        var line = GradientMatrix.From([0f], [1f], [10f]);
        Assert.Equal(1.0, Run("geometric-median", line, 1, o => o with { WeiszfeldTolerance = 1e-12, WeiszfeldMaxIterations = 1000 })[0], 3);
    }

    [Fact]
    public void Geometric_median_of_a_triangle_is_its_Fermat_point()
    {
        // Right isosceles triangle (0,0), (1,0), (0,1): all angles below 120 degrees, so the Fermat point
        // lies on the diagonal at t(1, 1) where the three unit vectors to the vertices sum to zero:
        // t = (3 - sqrt 3) / 6.
        var x = GradientMatrix.From([0f, 0f], [1f, 0f], [0f, 1f]);
        var z = Run("geometric-median", x, 1, o => o with { WeiszfeldTolerance = 1e-12, WeiszfeldMaxIterations = 10_000 });
        double t = (3 - Math.Sqrt(3)) / 6;
        Assert.Equal(t, z[0], 4);
        Assert.Equal(t, z[1], 4);
    }

    [Fact]
    public void Centered_clipping_clips_each_difference_to_tau_around_the_centre()
    {
        // Centre 0, tau = 1: (3, 4) has norm 5 -> (0.6, 0.8); (0, 0.5) is inside -> unchanged.
        // v = ((0.6 + 0) / 2, (0.8 + 0.5) / 2) = (0.3, 0.65).
        var x = GradientMatrix.From([3f, 4f], [0f, 0.5f]);
        var cc = AggregatorRegistry.Create("centered-clipping", new AggregatorOptions { Workers = 2, Dimension = 2, ClippingRadius = 1 });
        var v = new float[2];
        cc.Aggregate(x, v);
        Assert.Equal(0.3, v[0], 6);
        Assert.Equal(0.65, v[1], 6);
        // Next round starts from (0.3, 0.65): (3, 4) - v = (2.7, 3.35), norm 4.3028 -> scaled by 1/4.3028.
        cc.Aggregate(x, v);
        double norm1 = Math.Sqrt(2.7 * 2.7 + 3.35 * 3.35), norm2 = Math.Sqrt(0.3 * 0.3 + 0.15 * 0.15);
        Assert.Equal(0.3 + (2.7 / norm1 - 0.3) / 2, v[0], 5);
        Assert.Equal(0.65 + (3.35 / norm1 - 0.15) / 2, v[1], 5);
        Assert.True(norm2 < 1);
    }

    [Fact]
    public void Centered_clipping_with_a_huge_radius_is_the_mean()
    {
        var x = GradientMatrix.From([3f, 4f], [1f, 0f], [-1f, 2f]);
        Assert.Equal([1f, 2f], Run("centered-clipping", x, 1, o => o with { ClippingRadius = 1e9 }));
    }

    [Fact]
    public void Nearest_neighbour_mixing_averages_the_n_minus_f_nearest()
    {
        // 0 -> mean(0, 1) = 0.5; 1 -> mean(1, 0) = 0.5; 10 -> mean(10, 1) = 5.5; then median -> 0.5.
        var x = GradientMatrix.From([0f], [1f], [10f]);
        var nnm = AggregatorRegistry.CreatePreAggregator("nnm", new AggregatorOptions { Workers = 3, Dimension = 1, Byzantine = 1 }, new RandomStream(1));
        var mixed = nnm.Apply(x);
        Assert.Equal([0.5f, 0.5f, 5.5f], mixed.All.ToArray());
        var defence = new RobustAggregation("median", "nnm", new AggregatorOptions { Workers = 3, Dimension = 1, Byzantine = 1 }, new RandomStream(1));
        var output = new float[1];
        defence.Aggregate(x, output);
        Assert.Equal([0.5f], output);
    }

    [Fact]
    public void Bucketing_averages_random_buckets_and_conserves_the_mean()
    {
        var x = GradientMatrix.From([1f], [2f], [3f], [4f], [5f], [6f]);
        var options = new AggregatorOptions { Workers = 6, Dimension = 1, Byzantine = 1, BucketSize = 2 };
        var b = (Bucketing)AggregatorRegistry.CreatePreAggregator("bucketing", options, new RandomStream(7));
        var buckets = b.Apply(x);
        Assert.Equal(3, buckets.Count);
        var perm = b.LastPermutation.ToArray();
        Assert.Equal([0, 1, 2, 3, 4, 5], perm.Order().ToArray());
        for (int k = 0; k < 3; k++) Assert.Equal((x[perm[2 * k], 0] + x[perm[2 * k + 1], 0]) / 2, buckets[k, 0]);
        Assert.Equal(3.5, buckets.All.ToArray().Average(v => (double)v), 6);
        // Bucket size 1 keeps every gradient; bucket size n leaves one bucket holding the mean.
        var whole = AggregatorRegistry.CreatePreAggregator("bucketing", options with { BucketSize = 6 }, new RandomStream(7)).Apply(x);
        Assert.Equal([3.5f], whole.All.ToArray());
    }

    [Fact]
    public void Bucketing_is_deterministic_per_seed_and_reshuffles_each_round()
    {
        var x = GradientMatrix.From([1f], [2f], [3f], [4f], [5f], [6f], [7f], [8f]);
        var options = new AggregatorOptions { Workers = 8, Dimension = 1, BucketSize = 2 };
        int[] Perms(ulong seed)
        {
            var b = (Bucketing)AggregatorRegistry.CreatePreAggregator("bucketing", options, new RandomStream(seed, "defence.bucketing"));
            var all = new List<int>();
            for (int r = 0; r < 3; r++) { b.Apply(x); all.AddRange(b.LastPermutation.ToArray()); }
            return all.ToArray();
        }
        Assert.Equal(Perms(5), Perms(5));
        Assert.NotEqual(Perms(5), Perms(6));
        var p = Perms(5);
        Assert.NotEqual(p[..8], p[8..16]);
    }
}
