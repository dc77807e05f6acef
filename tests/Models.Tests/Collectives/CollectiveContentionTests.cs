using FsCheck;
using FsCheck.Fluent;
using Sim.Core;
using Sim.Models.Collectives;
using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Models.Tests.Collectives;

public class CollectiveContentionTests
{
    [Fact]
    public void Two_jobs_sharing_an_uplink_each_slow_down_as_predicted()
    {
        // Two leaves of 4 hosts, one spine; uplinks 4 * 10 GB/s / 8 = 5 GB/s are the bottleneck.
        var fabric = new FabricSpec { Kind = FabricKind.FatTree2, LeafDownPorts = 4, UplinksPerLeaf = 1, Oversubscription = 8, SwitchLatency = 1e-7 };
        var t = FatTree.TwoLevel(8, 1e10, 1e-6, fabric);
        const double uplink = 5e9, nA = 1e8, nB = 3e8;
        double alpha = t.PathLatency(0, 4);
        Assert.Equal(uplink, t.PathBandwidth(0, 4));

        // Alone: a 2-rank ring all-reduce sends n each way with 2 latency rounds.
        double alone = CollectiveOracleTests.Time(t, true, net => new RingCollective(net, new[] { 0, 4 }, nA, CollectiveKind.AllReduce));
        Assert.Equal(2 * alpha + nA / uplink, alone, 1e-12);

        var sim = new Simulation(1);
        var net = new FlowNetwork(sim, t);
        var a = new RingCollective(net, new[] { 0, 4 }, nA, CollectiveKind.AllReduce);
        var b = new RingCollective(net, new[] { 1, 5 }, nB, CollectiveKind.AllReduce);
        a.Run(); b.Run();
        sim.Run();
        // Together they halve the uplink until A ends; then B has it alone.
        Assert.Equal(2 * alpha + 2 * nA / uplink, a.Duration, 1e-12);
        Assert.Equal(2 * alpha + (nA + nB) / uplink, b.Duration, 1e-12);
    }

    [Fact]
    public void More_bandwidth_is_never_slower_for_any_allreduce()
    {
        var algorithms = new[] { CollectiveAlgorithm.Ring, CollectiveAlgorithm.Tree, CollectiveAlgorithm.Rhd };
        var gen = from logP in Gen.Choose(1, 5)
                  from algo in Gen.Choose(0, 2)
                  from mb in Gen.Choose(1, 500)
                  from k in Gen.Choose(100, 1000)
                  select (1 << logP, algorithms[algo], mb * 1e6, k / 100.0);
        Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var (p, algo, n, k) = x;
            double Run(double bw) => CollectiveOracleTests.Time(SingleSwitch.Create(p, bw, 1e-6), true,
                net => CollectiveFactory.Create(CollectiveKind.AllReduce, algo, net, Enumerable.Range(0, p).ToArray(), n));
            return Run(k * 1e10) <= Run(1e10) * (1 + 1e-12);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Same_seed_gives_bit_identical_collective_times()
    {
        double Run()
        {
            var t = FatTree.TwoLevel(64, 1e10, 1e-6, new FabricSpec { Kind = FabricKind.FatTree2, LeafDownPorts = 8, UplinksPerLeaf = 2, Oversubscription = 4 });
            var sim = new Simulation(9);
            var net = new FlowNetwork(sim, t);
            var rng = sim.Random("jobs");
            var jobs = new List<Collective>();
            for (int j = 0; j < 4; j++)
            {
                var ranks = Enumerable.Range(0, 64).OrderBy(_ => rng.Next()).Take(8).ToArray();
                jobs.Add(new TreeAllReduce(net, ranks, rng.NextDouble() * 1e8));
                jobs[^1].Run();
            }
            sim.Run();
            return jobs.Sum(c => c.Duration * (1 + c.Ranks[0]));
        }
        Assert.Equal(Run(), Run());
    }
}

public class CollectiveTimelineTests
{
    [Fact]
    public void Collectives_appear_on_the_timeline_when_it_is_on()
    {
        var stream = new MemoryStream();
        var sim = new Simulation(1);
        using (var timeline = new Sim.Core.Timeline.TimelineRecorder(stream))
        {
            sim.Timeline = timeline;
            var ring = new RingCollective(new FlowNetwork(sim, SingleSwitch.Create(4, 1e10, 1e-6)), [0, 1, 2, 3], 1e6, CollectiveKind.AllReduce);
            ring.Run();
            sim.Run();
            Assert.Equal(1, timeline.SpansWritten);
        }
        var json = System.Text.Encoding.UTF8.GetString(stream.ToArray());
        Assert.Contains("RingCollective 4 ranks", json);
        Assert.Contains("collectives", json);
    }
}
