using Sim.Core.Randomness;
using Sim.Models.Dependability;

namespace Sim.Models.Tests.Dependability;

/// <summary>Each attack on hand-computed inputs, and what it does to aggregators in constructed cases.</summary>
public class AttackTests
{
    private static float[] Row(GradientMatrix m, int i) => m.Row(i).ToArray();

    private static GradientMatrix Apply(string attack, GradientMatrix x, int[] byzantine, Func<AttackOptions, AttackOptions>? tweak = null, ulong seed = 1)
    {
        var o = new AttackOptions { Workers = x.Count, Dimension = x.Dimension, Byzantine = byzantine.Length };
        if (tweak is not null) o = tweak(o);
        var honest = Enumerable.Range(0, x.Count).Except(byzantine).ToArray();
        AttackRegistry.Create(attack, o).Apply(x, byzantine, honest, new RandomStream(seed, "attack"));
        return x;
    }

    [Fact]
    public void Sign_flip_negates_and_scaled_multiplies_the_byzantine_rows_only()
    {
        var x = Apply("sign-flip", GradientMatrix.From([1f, 2f], [3f, -4f], [5f, 6f]), [1]);
        Assert.Equal([1f, 2f], Row(x, 0));
        Assert.Equal([-3f, 4f], Row(x, 1));
        Assert.Equal([5f, 6f], Row(x, 2));
        x = Apply("sign-flip", GradientMatrix.From([1f, 2f], [3f, -4f]), [1], o => o with { Scale = 10 });
        Assert.Equal([-30f, 40f], Row(x, 1));
        x = Apply("scaled", GradientMatrix.From([1f, 2f], [3f, -4f]), [0], o => o with { Scale = 3 });
        Assert.Equal([3f, 6f], Row(x, 0));
        Assert.Equal([3f, -4f], Row(x, 1));
    }

    [Fact]
    public void Alie_z_max_follows_Baruch_et_al()
    {
        // n = 50, f = 12: s = floor(26) - 12 = 14, z = Phi^-1(36/50) = Phi^-1(0.72) = 0.58284 (normal table).
        Assert.Equal(0.58284, LittleIsEnough.ZMax(50, 12), 4);
        // n = 7, f = 1: s = 4 - 1 = 3, z = Phi^-1(4/7) = 0.18001.
        Assert.Equal(0.18001, LittleIsEnough.ZMax(7, 1), 4);
        // A Byzantine majority leaves no finite z.
        Assert.Throws<DependabilitySettingException>(() => LittleIsEnough.ZMax(10, 6));
    }

    [Fact]
    public void Alie_sends_mean_minus_z_std_of_the_honest_gradients()
    {
        // Honest rows (1, 10) and (3, 10): mean (2, 10), population std (1, 0). z = 1.5 -> (0.5, 10).
        var x = Apply("alie", GradientMatrix.From([1f, 10f], [99f, 99f], [3f, 10f], [-7f, 0f]), [1, 3], o => o with { Z = 1.5 });
        Assert.Equal([0.5f, 10f], Row(x, 1));
        Assert.Equal([0.5f, 10f], Row(x, 3));
        Assert.Equal([1f, 10f], Row(x, 0));
    }

    [Fact]
    public void Ipm_sends_minus_epsilon_times_the_honest_mean()
    {
        var x = Apply("ipm", GradientMatrix.From([1f, 2f], [3f, 6f], [100f, 100f]), [2], o => o with { Epsilon = 0.5 });
        Assert.Equal([-1f, -2f], Row(x, 2));
    }

    [Fact]
    public void Mimic_copies_one_honest_worker()
    {
        var x = Apply("mimic", GradientMatrix.From([9f], [1f], [2f], [9f]), [0, 3]);
        Assert.Equal([1f], Row(x, 0));
        Assert.Equal([1f], Row(x, 3));
        x = Apply("mimic", GradientMatrix.From([9f], [1f], [2f], [9f]), [0, 3], o => o with { MimicTarget = 2 });
        Assert.Equal([2f], Row(x, 0));
    }

    [Fact]
    public void Gaussian_noise_has_the_requested_spread_and_is_reproducible_per_seed()
    {
        const int d = 200_000;
        GradientMatrix Fresh() => new GradientMatrix(2, d);
        var a = Apply("gaussian", Fresh(), [1], o => o with { Sigma = 2 }, seed: 5);
        var b = Apply("gaussian", Fresh(), [1], o => o with { Sigma = 2 }, seed: 5);
        var c = Apply("gaussian", Fresh(), [1], o => o with { Sigma = 2 }, seed: 6);
        Assert.Equal(Row(a, 1), Row(b, 1));
        Assert.NotEqual(Row(a, 1), Row(c, 1));
        var v = Row(a, 1).Select(f => (double)f).ToArray();
        double mean = v.Average(), std = Math.Sqrt(v.Select(t => (t - mean) * (t - mean)).Average());
        // Standard errors: sigma / sqrt(d) = 0.0045 for the mean, sigma / sqrt(2d) = 0.0032 for the std; 5 of each.
        Assert.InRange(mean, -0.0225, 0.0225);
        Assert.InRange(std, 2 - 0.016, 2 + 0.016);
        Assert.All(Row(a, 0), f => Assert.Equal(0f, f));
    }

    [Fact]
    public void Label_flipping_maps_y_to_c_minus_1_minus_y_and_leaves_gradients_alone()
    {
        var attack = (IDataPoisoning)AttackRegistry.Create("label-flip", new AttackOptions { Workers = 2, Dimension = 1 });
        Assert.Equal(9, attack.PoisonLabel(0, 10));
        Assert.Equal(0, attack.PoisonLabel(9, 10));
        Assert.Equal(5, attack.PoisonLabel(4, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => attack.PoisonLabel(10, 10));
        Assert.True(AttackRegistry.Attack("label-flip").PoisonsData);
        var x = Apply("label-flip", GradientMatrix.From([1f], [2f]), [1]);
        Assert.Equal([2f], Row(x, 1));
    }

    [Theory]
    [InlineData("gaussian", "attack.sigma")]
    [InlineData("scaled", "attack.scale")]
    [InlineData("ipm", "attack.epsilon")]
    public void Missing_required_parameters_name_their_key(string attack, string key)
    {
        var e = Assert.Throws<DependabilitySettingException>(() => AttackRegistry.Create(attack, new AttackOptions { Workers = 3, Dimension = 1 }));
        Assert.Equal(key, e.KeyPath);
        Assert.Contains(key.Split('.')[1], AttackRegistry.Attack(attack).Requires);
    }

    [Fact]
    public void Unknown_attack_lists_the_known_ones()
    {
        var e = Assert.Throws<DependabilitySettingException>(() => AttackRegistry.Create("alien", new AttackOptions { Workers = 3, Dimension = 1 }));
        Assert.Equal("attack.type", e.KeyPath);
        Assert.Contains("alie", e.Message);
    }

    /// <summary>n honest-looking gradients g + N(0, 1) noise per coordinate, g = (1, ..., 1).</summary>
    private static GradientMatrix NoisyHonest(int n, int d, ulong seed)
    {
        var x = new GradientMatrix(n, d);
        var noise = new GaussianNoise(new AttackOptions { Workers = n, Dimension = d, Sigma = 1 });
        var rng = new RandomStream(seed);
        noise.Apply(x, Enumerable.Range(0, n).ToArray(), [], rng);
        foreach (ref float v in x.All) v += 1f;
        return x;
    }

    private static double MeanCoordinate(string rule, GradientMatrix x, int f)
    {
        var output = new float[x.Dimension];
        AggregatorRegistry.Create(rule, new AggregatorOptions { Workers = x.Count, Dimension = x.Dimension, Byzantine = f }).Aggregate(x, output);
        return output.Average(v => (double)v);
    }

    [Fact]
    public void One_strong_sign_flipper_reverses_the_mean_but_not_median_or_krum()
    {
        // Gradient-level version of Blanchard et al.'s observation (NeurIPS 2017, Sec. 1): one worker
        // sending -100 g turns the average against the true direction g = 1; median and Krum keep it.
        var x = NoisyHonest(10, 2000, 3);
        Apply("sign-flip", x, [4], o => o with { Scale = 100 });
        Assert.True(MeanCoordinate("mean", x, 1) < 0);
        Assert.InRange(MeanCoordinate("median", x, 1), 0.8, 1.2);
        Assert.InRange(MeanCoordinate("krum", x, 1), 0.8, 1.2);
    }

    [Fact]
    public void Alie_wins_krum_over_to_a_byzantine_vector()
    {
        // Baruch et al. (NeurIPS 2019, Sec. 4): identical ALIE vectors sit at distance 0 from each other
        // and about sqrt(1 + z^2) sigma sqrt(d) from honest ones, versus sqrt(2) sigma sqrt(d) between
        // honest ones, so Krum's score prefers them.
        const int n = 20, f = 4;
        var x = NoisyHonest(n, 2000, 11);
        int[] byz = [2, 5, 11, 17];
        Apply("alie", x, byz);
        var krum = (MultiKrum)AggregatorRegistry.Create("krum", new AggregatorOptions { Workers = n, Dimension = 2000, Byzantine = f });
        krum.Aggregate(x, new float[2000]);
        Assert.Contains(krum.LastSelection[0], byz);
    }
}
