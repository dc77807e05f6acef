using Sim.Core.Randomness;
using Sim.Models.Dependability;

namespace Sim.Models.Tests.Dependability;

public class ByzantineSelectionTests
{
    [Fact]
    public void Fixed_sets_stay_and_changing_sets_move_with_the_exact_count()
    {
        var fixedSet = new ByzantineSelection(10, 3, false, new RandomStream(1, "attack.selection"));
        var first = fixedSet.Byzantine.ToArray();
        Assert.Equal(3, first.Length);
        Assert.Equal(first.Order(), first);
        for (int r = 0; r < 5; r++) { fixedSet.NextRound(); Assert.Equal(first, fixedSet.Byzantine.ToArray()); }

        var moving = new ByzantineSelection(10, 3, true, new RandomStream(1, "attack.selection"));
        var seen = new HashSet<string>();
        for (int r = 0; r < 20; r++)
        {
            Assert.Equal(3, moving.Byzantine.Length);
            Assert.Equal(7, moving.Honest.Length);
            Assert.Empty(moving.Byzantine.ToArray().Intersect(moving.Honest.ToArray()));
            foreach (int b in moving.Byzantine) Assert.True(moving.IsByzantine(b));
            seen.Add(string.Join(",", moving.Byzantine.ToArray()));
            moving.NextRound();
        }
        Assert.True(seen.Count > 10);
    }

    [Fact]
    public void Same_seed_same_sets()
    {
        string Trace(ulong seed)
        {
            var s = new ByzantineSelection(16, 5, true, new RandomStream(seed, "attack.selection"));
            var all = new List<int>();
            for (int r = 0; r < 10; r++) { all.AddRange(s.Byzantine.ToArray()); s.NextRound(); }
            return string.Join(",", all);
        }
        Assert.Equal(Trace(3), Trace(3));
        Assert.NotEqual(Trace(3), Trace(4));
    }

    [Fact]
    public void Every_worker_is_byzantine_with_probability_k_over_n()
    {
        const int n = 8, k = 2, rounds = 40_000;
        var s = new ByzantineSelection(n, k, true, new RandomStream(9));
        var hits = new int[n];
        for (int r = 0; r < rounds; r++) { foreach (int b in s.Byzantine) hits[b]++; s.NextRound(); }
        // Expected 10 000 each; binomial sd = sqrt(40000 * 0.25 * 0.75) = 87; allow 5 sd.
        Assert.All(hits, h => Assert.InRange(h, 10_000 - 435, 10_000 + 435));
    }

    [Fact]
    public void Fractions_round_to_counts_and_bad_counts_are_refused()
    {
        Assert.Equal(3, ByzantineSelection.CountFor(10, 0.25));
        Assert.Equal(0, ByzantineSelection.CountFor(10, 0));
        Assert.Throws<DependabilitySettingException>(() => ByzantineSelection.CountFor(10, 1));
        var e = Assert.Throws<DependabilitySettingException>(() => new ByzantineSelection(4, 4, false, new RandomStream(1)));
        Assert.Equal("attack.count", e.KeyPath);
    }
}
