using Sim.Core;
using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Models.Tests.Network;

/// <summary>The flow network re-solves only the part of the allocation a change can reach; after every
/// recomputation its rates must equal a from-scratch max-min solve of all active flows.</summary>
public class IncrementalSolveTests
{
    [Theory]
    [InlineData(1, 4.0)]
    [InlineData(2, 1.0)]
    [InlineData(3, 2.5)]
    [InlineData(4, 8.0, 1)]
    [InlineData(5, 1.5, 2)]
    [InlineData(6, 4.0, 3, 1)] // one repair pass, then the whole connected region: the fallback path
    [InlineData(7, 8.0, 1, 1)]
    public void Incremental_rates_equal_a_full_solve_after_every_change(int seed, double oversubscription, int spines = 3, int repairPasses = 8)
    {
        var t = FatTree.TwoLevel(24, 1e10, 1e-6, new FabricSpec { Kind = FabricKind.FatTree2, LeafDownPorts = 4, UplinksPerLeaf = spines, Oversubscription = oversubscription });
        var sim = new Simulation((ulong)seed);
        var net = new FlowNetwork(sim, t);
        net.Filling.MaxRepairPasses = repairPasses;
        var capacities = Enumerable.Range(0, t.LinkCount).Select(t.LinkBandwidth).ToArray();
        int checks = 0;
        net.AfterRecompute = () =>
        {
            var g = net.Graph;
            var ids = Enumerable.Range(0, g.FlowIdBound).Where(f => g.FlowPathLength[f] > 0).ToArray();
            if (ids.Any(f => double.IsPositiveInfinity(g.Rate[f]))) return; // arrivals later this instant
            var paths = ids.Select(f => Enumerable.Range(0, g.FlowPathLength[f]).Select(h => g.FlowLinks[f * FlowGraph.Stride + h]).ToArray()).ToArray();
            var reference = MaxMinFair.Solve(capacities, paths);
            for (int i = 0; i < ids.Length; i++)
                Assert.True(Math.Abs(g.Rate[ids[i]] - reference[i]) <= 1e-9 * reference[i], $"flow {ids[i]}: {g.Rate[ids[i]]} vs {reference[i]}");
            checks++;
        };
        var rng = sim.Random("traffic");
        for (int i = 0; i < 400; i++)
        {
            int src = rng.Next(24), dst = rng.Next(24);
            double bytes = 1e6 + rng.NextDouble() * 5e7, at = rng.NextDouble() * 0.02;
            sim.Schedule(at, () => net.Transfer(bytes, src, dst, _ => { }, 0));
        }
        sim.Run();
        Assert.True(checks > 300, $"only {checks} checks");
        Assert.Equal(400, net.Counters.TransfersCompleted);
        if (repairPasses == 1) Assert.True(net.Filling.Fallbacks > 0, "the fallback path was not exercised");
    }
}
