using FsCheck;
using FsCheck.Fluent;
using Sim.Core;
using Sim.Models.Collectives;
using Sim.Models.Network;

namespace Sim.Models.Tests.Collectives;

/// <summary>Conservation: every algorithm moves exactly the bytes its definition implies, and every byte
/// sent is received.</summary>
public class CollectiveVolumeTests
{
    private static (double sent, double received) Volume(int p, Func<INetwork, Collective> make)
    {
        var sim = new Simulation(3);
        var net = new FlowNetwork(sim, SingleSwitch.Create(p, 1e10, 1e-6));
        make(net).Run();
        sim.Run();
        return (net.Counters.Sent.ToArray().Sum(), net.Counters.Received.ToArray().Sum());
    }

    [Fact]
    public void Bytes_moved_match_each_algorithms_definition()
    {
        var gen = from logP in Gen.Choose(1, 5)
                  from extra in Gen.Choose(0, 3)
                  from kb in Gen.Choose(1, 100_000)
                  select (logP, extra, kb * 1000.0);
        Prop.ForAll(gen.ToArbitrary(), x =>
        {
            var (logP, extra, n) = x;
            int pow2 = 1 << logP, p = pow2 + extra;
            int[] Ranks(int k) => Enumerable.Range(0, k).ToArray();
            var cases = new (int p, double expected, Func<INetwork, Collective> make)[]
            {
                (p, 2.0 * (p - 1) * n, net => new RingCollective(net, Ranks(p), n, CollectiveKind.AllReduce)),
                (p, 2.0 * (p - 1) * n, net => new RingCollective(net, Ranks(p), n, CollectiveKind.AllReduce, RingMode.Stepwise)),
                (p, (p - 1) * n, net => new RingCollective(net, Ranks(p), n, CollectiveKind.AllGather)),
                (pow2, 2.0 * (pow2 - 1) * n, net => new RecursiveHalvingDoubling(net, Ranks(pow2), n, CollectiveKind.AllReduce)),
                (pow2, (pow2 - 1) * n, net => new RecursiveHalvingDoubling(net, Ranks(pow2), n, CollectiveKind.ReduceScatter)),
                (p, 2.0 * (p - 1) * n, net => new TreeAllReduce(net, Ranks(p), n)),
                (p, (p - 1) * n, net => new PipelinedBroadcast(net, Ranks(p), n)),
                (p, (p - 1) * n, net => new AllToAll(net, Ranks(p), n)),
                // N = 2 nodes of G = p/2... use pow2 ranks as 2 nodes of pow2/2 GPUs (or 1 node when pow2 = 2).
                (pow2, HierarchicalVolume(pow2 >= 4 ? 2 : 1, pow2 >= 4 ? pow2 / 2 : 2, n),
                    net => new HierarchicalAllReduce(net, Ranks(pow2), n, pow2 >= 4 ? pow2 / 2 : 2)),
            };
            foreach (var (ranks, expected, make) in cases)
            {
                var (sent, received) = Volume(ranks, make);
                if (Math.Abs(sent - expected) > 1e-9 * expected || Math.Abs(received - sent) > 1e-9 * sent) return false;
            }
            return true;
        }).QuickCheckThrowOnFailure();
    }

    /// <summary>Intra-node reduce-scatter and all-gather move (G-1) n per node each; the per-rail
    /// inter-node rings move 2(N-1) n/G each, G of them.</summary>
    private static double HierarchicalVolume(int nodes, int g, double n) => 2.0 * nodes * (g - 1) * n + 2.0 * (nodes - 1) * n;
}
