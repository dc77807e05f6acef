using FsCheck;
using FsCheck.Fluent;
using Sim.Core;
using Sim.Models.Hardware;
using Sim.Models.Network;
using static Sim.Models.Tests.Network.TestTopologies;

namespace Sim.Models.Tests.Network;

public class FlowNetworkTests
{
    private static (Simulation sim, FlowNetwork net) Flow(Topology t) { var s = new Simulation(1); return (s, new FlowNetwork(s, t)); }

    private static double[] RunTransfers(INetwork net, (double bytes, int src, int dst, double at)[] transfers)
    {
        var done = new double[transfers.Length];
        var sim = net.Simulation;
        for (int i = 0; i < transfers.Length; i++)
        {
            var (bytes, src, dst, at) = transfers[i];
            int k = i;
            sim.Schedule(at, () => net.Transfer(bytes, src, dst, _ => done[k] = sim.Now, k));
        }
        sim.Run();
        return done;
    }

    [Fact]
    public void Lone_transfer_matches_alpha_beta_on_both_backends()
    {
        var t = FatTree.ThreeLevel(64, 1e10, 1e-6, new FabricSpec { Kind = FabricKind.FatTree3, LeafDownPorts = 4, EdgesPerPod = 4, UplinksPerLeaf = 2, CoresPerGroup = 2, Oversubscription = 2 });
        foreach (var (src, dst) in new[] { (0, 1), (0, 5), (0, 40) })
        {
            double expected = t.PathLatency(src, dst) + 3e8 / t.PathBandwidth(src, dst);
            var (s1, flow) = Flow(t);
            var s2 = new Simulation(1);
            var analytical = new AnalyticalNetwork(s2, t);
            Assert.Equal(expected, RunTransfers(flow, [(3e8, src, dst, 0)])[0], expected * 1e-12);
            Assert.Equal(expected, RunTransfers(analytical, [(3e8, src, dst, 0)])[0], expected * 1e-12);
        }
    }

    [Fact]
    public void Flows_sharing_a_bottleneck_split_it_and_the_survivor_speeds_up()
    {
        // Incast: hosts 1 and 2 send to host 0; host 0's down-link (10 GB/s) is shared.
        var (sim, net) = Flow(Uniform(3));
        var done = RunTransfers(net, [(1e9, 1, 0, 0), (3e9, 2, 0, 0)]);
        // Both at 5 GB/s until the small one ends at 0.2 s; the big one has 2e9 left at 10 GB/s.
        Assert.Equal(Alpha + 1e9 / 5e9, done[0], 1e-12);
        Assert.Equal(Alpha + 0.2 + 2e9 / 1e10, done[1], 1e-12);
        Assert.Equal(2, net.Recomputations); // one batched start, one departure
    }

    [Fact]
    public void Parking_lot_dynamics_match_hand_computation()
    {
        // Chain a-b-c-d of 1 GB/s links; long flow a->d, short flows a->b, b->c, c->d. All rates 0.5 GB/s.
        var b = new TopologyBuilder("chain");
        var v = Enumerable.Range(0, 4).Select(i => b.AddNode($"n{i}", NodeKind.Host)).ToArray();
        foreach (var x in v) b.AddEndpoint(x);
        for (int i = 0; i < 3; i++) b.AddCable(v[i], v[i + 1], 1e9, 0);
        var t = b.Build();
        var (sim, net) = Flow(t);
        var done = RunTransfers(net, [(1e9, 0, 3, 0), (0.5e9, 0, 1, 0), (1e9, 1, 2, 0), (1.5e9, 2, 3, 0)]);
        // t=1: a->b done (0.5 moved). Long flow moved 0.5, still bottlenecked at 0.5 by b->c and c->d.
        // t=2: b->c done (1.0 moved); long has 0.5 moved... remaining 0 -> long done at t=2 too.
        Assert.Equal(1.0, done[1], 12);
        Assert.Equal(2.0, done[0], 12);
        Assert.Equal(2.0, done[2], 12);
        // c->d: 1.0 moved by t=2 at 0.5, then alone at 1 GB/s: 0.5 more -> t = 2.5.
        Assert.Equal(2.5, done[3], 12);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Bytes_are_conserved_on_links_and_endpoints(bool flowLevel)
    {
        var t = FatTree.TwoLevel(16, 1e10, 1e-6, new FabricSpec { Kind = FabricKind.FatTree2, LeafDownPorts = 4, UplinksPerLeaf = 2, Oversubscription = 3 });
        var sim = new Simulation(1);
        NetworkBase net = flowLevel ? new FlowNetwork(sim, t) : new AnalyticalNetwork(sim, t);
        var rng = new Random(3);
        var transfers = Enumerable.Range(0, 200).Select(_ => (rng.NextDouble() * 1e8, rng.Next(16), rng.Next(16), rng.NextDouble() * 0.01)).ToArray();
        RunTransfers(net, transfers);
        var expected = new double[t.LinkCount];
        var path = new int[Topology.MaxPathLength];
        foreach (var (bytes, src, dst, _) in transfers)
        {
            int n = t.Route(src, dst, path);
            for (int i = 0; i < n; i++) expected[path[i]] += bytes;
        }
        for (int l = 0; l < t.LinkCount; l++) Assert.Equal(expected[l], net.Counters.LinkBytes[l], Math.Max(1, expected[l]) * 1e-9);
        Assert.Equal(net.Counters.Sent.ToArray().Sum(), net.Counters.Received.ToArray().Sum(), 1e-3);
        Assert.Equal(transfers.Sum(x => x.Item1), net.Counters.Received.ToArray().Sum(), 1e-3);
        Assert.Equal(200, net.Counters.TransfersCompleted);
        if (net is FlowNetwork flow) Assert.Equal(0, flow.ActiveFlows);
    }

    [Fact]
    public void Same_seed_same_inputs_give_bit_identical_times()
    {
        double[] Run()
        {
            var t = FatTree.TwoLevel(32, 1e10, 1e-6, new FabricSpec { Kind = FabricKind.FatTree2, LeafDownPorts = 8, UplinksPerLeaf = 2, Oversubscription = 2 });
            var (sim, net) = Flow(t);
            var rng = sim.Random("traffic");
            var transfers = Enumerable.Range(0, 300).Select(_ => (rng.NextDouble() * 1e8, rng.Next(32), rng.Next(32), rng.NextDouble() * 0.01)).ToArray();
            return RunTransfers(net, transfers);
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void Event_variant_fires_at_arrival()
    {
        var (sim, net) = Flow(Uniform(2));
        double at = double.NaN;
        sim.Process(Body());
        sim.Run();
        Assert.Equal(Alpha + 1e9 * Beta, at, 1e-12);

        IEnumerable<Event> Body()
        {
            yield return net.Transfer(1e9, 0, 1);
            at = sim.Now;
        }
    }

    [Fact]
    public void More_bandwidth_is_never_slower_for_random_incasts()
    {
        // Random flows into a few hosts, started together: raising every link's bandwidth by k >= 1
        // never delays any flow's completion.
        var gen = from hosts in Gen.Choose(2, 8)
                  from flows in Gen.Choose(1, 12)
                  from seed in Gen.Choose(0, 10000)
                  from k in Gen.Choose(100, 400)
                  select (hosts, flows, seed, k / 100.0);
        Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var (hosts, flows, seed, k) = x;
            var rng = new Random(seed);
            var transfers = Enumerable.Range(0, flows).Select(_ => (1e6 + rng.NextDouble() * 1e8, rng.Next(hosts), rng.Next(hosts), 0.0)).ToArray();
            var slow = RunTransfers(Flow(SingleSwitch.Create(hosts, 1e9, 1e-6)).net, transfers);
            var fast = RunTransfers(Flow(SingleSwitch.Create(hosts, k * 1e9, 1e-6)).net, transfers);
            return slow.Zip(fast).All(p => p.Second <= p.First * (1 + 1e-12));
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Bad_transfer_arguments_are_rejected()
    {
        var (_, net) = Flow(Uniform(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Transfer(-1, 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Transfer(1, 0, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => net.Transfer(1, 0, 1, _ => { }, 0, latencyRounds: 0));
    }
}
