using Sim.Models.Network;

namespace Sim.Models.Tests.Network;

public class MaxMinFairTests
{
    [Fact]
    public void Shared_bottleneck_splits_equally()
    {
        var rates = MaxMinFair.Solve([9.0], [[0], [0], [0]]);
        Assert.All(rates, r => Assert.Equal(3.0, r, 12));
    }

    [Fact]
    public void Parking_lot_gives_the_long_flow_half_of_every_link()
    {
        // Links 0..3 of capacity 1 in a row; flow 0 crosses all; flow i+1 crosses link i only.
        var rates = MaxMinFair.Solve([1.0, 1.0, 1.0, 1.0], [[0, 1, 2, 3], [0], [1], [2], [3]]);
        Assert.All(rates, r => Assert.Equal(0.5, r, 12));
    }

    [Fact]
    public void Parking_lot_with_a_narrow_link_lets_others_take_the_slack()
    {
        // Link 1 has capacity 0.5: the long flow and flow 2 get 0.25 there; flows 1 and 3 take 0.75.
        var rates = MaxMinFair.Solve([1.0, 0.5, 1.0], [[0, 1, 2], [0], [1], [2]]);
        Assert.Equal([0.25, 0.75, 0.25, 0.75], rates.Select(r => Math.Round(r, 12)));
    }

    [Fact]
    public void Textbook_two_bottleneck_example()
    {
        // Bertsekas & Gallager style: link A (10) carries f0, f1, f2; link B (4) carries f2, f3.
        // B saturates first at 2 (f2 = f3 = 2); A's remaining 8 goes to f0 and f1 (4 each).
        var rates = MaxMinFair.Solve([10.0, 4.0], [[0], [0], [0, 1], [1]]);
        Assert.Equal([4.0, 4.0, 2.0, 2.0], rates.Select(r => Math.Round(r, 12)));
    }

    [Fact]
    public void Result_is_feasible_and_every_flow_has_a_saturated_bottleneck()
    {
        var rng = new Random(7);
        for (int trial = 0; trial < 50; trial++)
        {
            int links = rng.Next(1, 12), flows = rng.Next(1, 30);
            var caps = Enumerable.Range(0, links).Select(_ => 1 + rng.NextDouble() * 9).ToArray();
            var paths = Enumerable.Range(0, flows)
                .Select(_ => Enumerable.Range(0, links).OrderBy(_ => rng.Next()).Take(rng.Next(1, Math.Min(links, 5) + 1)).ToArray()).ToArray();
            var rates = MaxMinFair.Solve(caps, paths);
            var load = new double[links];
            for (int f = 0; f < flows; f++) foreach (int l in paths[f]) load[l] += rates[f];
            for (int l = 0; l < links; l++) Assert.True(load[l] <= caps[l] * (1 + 1e-9), $"link {l} over capacity");
            // Max-min characterisation: each flow crosses a saturated link on which no flow is faster.
            for (int f = 0; f < flows; f++)
                Assert.Contains(paths[f], l => load[l] >= caps[l] * (1 - 1e-9)
                    && Enumerable.Range(0, flows).Where(g => paths[g].Contains(l)).All(g => rates[g] <= rates[f] * (1 + 1e-9)));
        }
    }

    [Fact]
    public void Bad_input_is_named()
    {
        Assert.Contains("capacities[1]", Assert.Throws<ArgumentException>(() => MaxMinFair.Solve([1.0, -2.0], [[0]])).Message);
        Assert.Contains("flowPaths[0]", Assert.Throws<ArgumentException>(() => MaxMinFair.Solve([1.0], [[3]])).Message);
    }
}
