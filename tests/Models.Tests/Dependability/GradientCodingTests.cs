using Sim.Core.Randomness;
using Sim.Models.Dependability;

namespace Sim.Models.Tests.Dependability;

/// <summary>Gradient codes decode the exact sum from every set of n - s workers; DRACO outvotes Byzantine replicas.</summary>
public class GradientCodingTests
{
    private static GradientMatrix Partitions(int n, int d, ulong seed)
    {
        var rng = new RandomStream(seed);
        var g = new GradientMatrix(n, d);
        // Small integers: sums of them are exact in float, so "exact" can be tested bit for bit.
        foreach (ref float v in g.All) v = (int)rng.NextBounded(201) - 100;
        return g;
    }

    private static float[] TrueSum(GradientMatrix g)
    {
        var s = new float[g.Dimension];
        for (int i = 0; i < g.Count; i++) for (int j = 0; j < g.Dimension; j++) s[j] += g[i, j];
        return s;
    }

    private static IEnumerable<int[]> Subsets(int n, int k)
    {
        var idx = new int[k];
        for (int i = 0; i < k; i++) idx[i] = i;
        while (true)
        {
            yield return (int[])idx.Clone();
            int p = k - 1;
            while (p >= 0 && idx[p] == n - k + p) p--;
            if (p < 0) yield break;
            idx[p]++;
            for (int q = p + 1; q < k; q++) idx[q] = idx[q - 1] + 1;
        }
    }

    [Theory]
    [InlineData(6, 2)]
    [InlineData(8, 1)]
    [InlineData(8, 3)]
    [InlineData(9, 2)]
    public void Fractional_repetition_decodes_the_exact_sum_from_any_n_minus_s_workers(int n, int s)
    {
        var code = new FractionalRepetitionCode(n, s);
        var g = Partitions(n, 64, 1);
        var messages = new GradientMatrix(n, 64);
        code.Encode(g, messages);
        var expected = TrueSum(g);
        var output = new float[64];
        int sets = 0;
        foreach (var survivors in Subsets(n, n - s))
        {
            code.Decode(messages, survivors, output);
            Assert.Equal(expected, output);
            sets++;
        }
        Assert.True(sets > 1);
        for (int i = 0; i < n; i++) Assert.Equal(s + 1, Enumerable.Range(0, n).Count(j => code.Encoding[i, j] != 0));
    }

    [Theory]
    [InlineData(5, 1)]
    [InlineData(6, 2)]
    [InlineData(7, 3)]
    [InlineData(8, 2)]
    [InlineData(7, 6)]
    public void Cyclic_code_decodes_the_sum_from_any_n_minus_s_workers(int n, int s)
    {
        var code = new CyclicRepetitionCode(n, s, new RandomStream(42, "coding"));
        // Support: worker i computes partitions i .. i + s (mod n), s + 1 of them.
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                Assert.Equal(((j - i + n) % n) <= s, code.Encoding[i, j] != 0);
        var g = Partitions(n, 32, 2);
        var messages = new GradientMatrix(n, 32);
        code.Encode(g, messages);
        var expected = TrueSum(g);
        var output = new float[32];
        foreach (var survivors in Subsets(n, n - s))
        {
            code.Decode(messages, survivors, output);
            // Real-valued coefficients: exact up to float rounding of the encoded messages.
            for (int j = 0; j < 32; j++) Assert.Equal(expected[j], output[j], 1e-3f * (1 + Math.Abs(expected[j])));
        }
    }

    [Fact]
    public void Too_few_survivors_or_bad_shapes_are_refused()
    {
        var code = new CyclicRepetitionCode(6, 2, new RandomStream(1));
        Assert.Throws<InvalidOperationException>(() => code.DecodingWeights([0, 1, 2]));
        var e = Assert.Throws<DependabilitySettingException>(() => new FractionalRepetitionCode(7, 2));
        Assert.Equal("coding.stragglers", e.KeyPath);
        Assert.Throws<DependabilitySettingException>(() => new CyclicRepetitionCode(4, 4, new RandomStream(1)));
    }

    [Fact]
    public void Draco_majority_vote_outvotes_up_to_r_minus_1_over_2_byzantine_replicas_per_group()
    {
        const int n = 9, r = 3, d = 16;
        var code = new ReplicationCode(n, r);
        var groupGradients = Partitions(code.Groups, d, 3);
        var messages = new GradientMatrix(n, d);
        for (int i = 0; i < n; i++) groupGradients.Row(i / r).CopyTo(messages.Row(i));
        var expected = TrueSum(groupGradients);
        // One Byzantine worker in every group, each sending something different.
        messages.Row(0).Fill(1e6f);
        messages.Row(4).Fill(-3f);
        messages.Row(8)[5] += 1;
        var received = Enumerable.Repeat(true, n).ToArray();
        var output = new float[d];
        code.Decode(messages, received, output);
        Assert.Equal(expected, output);
        // Two Byzantine workers agreeing in one group win the vote there; two disagreeing leave no majority.
        messages.Row(1).Fill(1e6f);
        code.Decode(messages, received, output);
        Assert.NotEqual(expected, output);
        messages.Row(1).Fill(7f);
        Assert.Throws<InvalidOperationException>(() => code.Decode(messages, received, output));
        Assert.Throws<DependabilitySettingException>(() => new ReplicationCode(8, 2));
        Assert.Throws<DependabilitySettingException>(() => new ReplicationCode(10, 3));
    }
}
