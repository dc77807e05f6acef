using FsCheck;
using FsCheck.Fluent;
using Sim.Core;
using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Models.Tests.Network;

/// <summary>A flow of weight k (a transfer of k copies) must behave exactly as k separate identical
/// flows: same max-min rates, same completion instants, same bytes on every link.</summary>
public class WeightedFlowTests
{
    [Fact]
    public void Weighted_textbook_example()
    {
        // Link A (10) carries f0 (weight 3) and f1; link B (4) carries f1 and f2 (weight 3).
        // B has 4 flows: it saturates first at 1 each (f1 = f2 = 1); A's remaining 9 goes to f0's 3 members.
        var rates = MaxMinFair.Solve([10.0, 4.0], [[0], [0, 1], [1]], [3, 1, 3]);
        Assert.Equal([3.0, 1.0, 1.0], rates.Select(r => Math.Round(r, 12)));
        // The same as seven separate flows.
        var expanded = MaxMinFair.Solve([10.0, 4.0], [[0], [0], [0], [0, 1], [1], [1], [1]]);
        Assert.Equal([3.0, 3.0, 3.0, 1.0, 1.0, 1.0, 1.0], expanded.Select(r => Math.Round(r, 12)));
    }

    [Fact]
    public void Weighted_solve_equals_the_expanded_solve_on_random_instances()
    {
        var gen = from links in Gen.Choose(1, 10)
                  from flows in Gen.Choose(1, 20)
                  from seed in Gen.Choose(0, 100000)
                  select (links, flows, seed);
        Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var (links, flows, seed) = x;
            var rng = new Random(seed);
            var caps = Enumerable.Range(0, links).Select(_ => 1 + rng.NextDouble() * 9).ToArray();
            var paths = Enumerable.Range(0, flows)
                .Select(_ => Enumerable.Range(0, links).OrderBy(_ => rng.Next()).Take(rng.Next(1, Math.Min(links, 5) + 1)).ToArray()).ToArray();
            var weights = Enumerable.Range(0, flows).Select(_ => rng.Next(1, 6)).ToArray();
            var weighted = MaxMinFair.Solve(caps, paths, weights);
            var owner = Enumerable.Range(0, flows).SelectMany(f => Enumerable.Repeat(f, weights[f])).ToArray();
            var expanded = MaxMinFair.Solve(caps, owner.Select(f => paths[f]).ToArray());
            return owner.Select((f, i) => Math.Abs(expanded[i] - weighted[f]) <= 1e-12 * weighted[f]).All(ok => ok);
        }).QuickCheckThrowOnFailure();
    }

    private static Topology RandomFabric(Random rng)
    {
        int hosts = 4 * rng.Next(2, 7);
        return rng.Next(3) == 0
            ? SingleSwitch.Create(hosts, 1e9 * rng.Next(1, 20), 1e-6)
            : FatTree.TwoLevel(hosts, 1e10, 1e-6, new FabricSpec
            {
                Kind = FabricKind.FatTree2, LeafDownPorts = 4, UplinksPerLeaf = rng.Next(1, 4), Oversubscription = 1 + rng.NextDouble() * 7,
            });
    }

    /// <summary>Runs the transfers (bytes, src, dst, start, copies) either as sent or with every
    /// transfer of k copies replaced by k transfers started at the same instant; returns each
    /// transfer's completion times (one per copy when expanded) and the network.</summary>
    private static (double[][] Done, FlowNetwork Net) Run(Topology t, (double Bytes, int Src, int Dst, double At, int Copies)[] transfers, bool expand)
    {
        var sim = new Simulation(1);
        var net = new FlowNetwork(sim, t);
        var done = transfers.Select(x => new double[expand ? x.Copies : 1]).ToArray();
        for (int i = 0; i < transfers.Length; i++)
        {
            var (bytes, src, dst, at, copies) = transfers[i];
            var times = done[i];
            sim.Schedule(at, () =>
            {
                if (!expand) net.Transfer(bytes, src, dst, _ => times[0] = sim.Now, 0, copies: copies);
                else for (int k = 0; k < copies; k++) net.Transfer(bytes, src, dst, token => times[token] = sim.Now, k);
            });
        }
        sim.Run();
        return (done, net);
    }

    [Fact]
    public void Transfer_of_k_copies_equals_k_transfers_on_random_fabrics()
    {
        var gen = from transfers in Gen.Choose(1, 40)
                  from seed in Gen.Choose(0, 100000)
                  select (transfers, seed);
        Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var rng = new Random(x.seed);
            var t = RandomFabric(rng);
            int hosts = t.EndpointCount;
            // Few distinct start instants, so that arrivals and departures coincide often.
            var transfers = Enumerable.Range(0, x.transfers)
                .Select(_ => (1e6 + rng.NextDouble() * 5e7, rng.Next(hosts), rng.Next(hosts), rng.Next(4) * 1e-3, rng.Next(1, 9)))
                .ToArray();
            var (weighted, wNet) = Run(t, transfers, expand: false);
            var (separate, sNet) = Run(t, transfers, expand: true);
            for (int i = 0; i < transfers.Length; i++)
                foreach (double time in separate[i])
                    if (Math.Abs(time - weighted[i][0]) > 1e-12 * weighted[i][0]) return false;
            for (int l = 0; l < t.LinkCount; l++)
                if (Math.Abs(wNet.Counters.LinkBytes[l] - sNet.Counters.LinkBytes[l]) > 1e-9 * Math.Max(1, sNet.Counters.LinkBytes[l])) return false;
            return wNet.Counters.TransfersCompleted == sNet.Counters.TransfersCompleted
                && wNet.Counters.TransfersCompleted == transfers.Sum(tr => tr.Item5)
                && Math.Abs(wNet.Counters.Received.ToArray().Sum() - sNet.Counters.Received.ToArray().Sum()) <= 1e-9 * sNet.Counters.Received.ToArray().Sum()
                && wNet.ActiveFlows == 0;
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Copies_arrive_together_on_the_analytical_network_and_count_as_transfers()
    {
        var sim = new Simulation(1);
        var net = new AnalyticalNetwork(sim, TestTopologies.Uniform(2));
        double at = double.NaN;
        net.Transfer(1e9, 0, 1, _ => at = sim.Now, 0, copies: 4);
        sim.Run();
        Assert.Equal(TestTopologies.Alpha + 1e9 * TestTopologies.Beta, at, 1e-12); // no contention in alpha-beta
        Assert.Equal(4, net.Counters.TransfersCompleted);
        Assert.Equal(4e9, net.Counters.Received[1]);
    }

    [Fact]
    public void Bad_weights_and_copies_are_rejected()
    {
        Assert.Contains("weights[1]", Assert.Throws<ArgumentException>(() => MaxMinFair.Solve([1.0], [[0], [0]], [1, 0])).Message);
        Assert.Contains("weights", Assert.Throws<ArgumentException>(() => MaxMinFair.Solve([1.0], [[0]], [1, 2])).Message);
        var net = new FlowNetwork(new Simulation(1), TestTopologies.Uniform(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Transfer(1, 0, 1, _ => { }, 0, copies: 0));
    }
}
