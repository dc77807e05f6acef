using Sim.Core;
using Sim.Models.Collectives;
using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Models.Tests.Collectives;

/// <summary>A multi-channel ring sends each edge that several channels share once, with the channels on
/// it as copies; that must cover every channel's every edge exactly once and time exactly as sending
/// every channel's edges separately.</summary>
public class RingSharedEdgeTests
{
    [Theory]
    [InlineData(2, 8, 8)] [InlineData(5, 8, 8)] [InlineData(3, 4, 2)] [InlineData(3, 4, 6)] [InlineData(4, 2, 5)]
    [InlineData(3, 1, 3)] [InlineData(1, 8, 8)] [InlineData(6, 3, 1)]
    public void Shared_edges_cover_every_channel_edge_exactly_once(int nodes, int g, int channels)
    {
        int p = nodes * g;
        var t = Sim.Models.Tests.Network.TestTopologies.Uniform(p);
        var ring = new RingCollective(new AnalyticalNetwork(new Simulation(1), t), Enumerable.Range(0, p).ToArray(), 1e6,
            CollectiveKind.AllReduce, RingMode.Aggregated, channels, g);
        var naive = new Dictionary<(int, int), int>();
        var sent = new Dictionary<(int, int), int>();
        for (int c = 0; c < channels; c++)
            for (int i = 0; i < p; i++)
            {
                var edge = (ring.Position(c, i), ring.Position(c, (i + 1) % p));
                naive[edge] = naive.GetValueOrDefault(edge) + 1;
                int copies = ring.Copies(c, i);
                Assert.InRange(copies, 0, channels);
                if (copies > 0) sent[edge] = sent.GetValueOrDefault(edge) + copies;
            }
        Assert.Equal(naive.OrderBy(e => e.Key), sent.OrderBy(e => e.Key));
        if (nodes >= 2 && channels == g && g > 1) // NCCL's DGX layout: G-1 channels on each intra-node edge
            Assert.Equal(2 * nodes * g, Enumerable.Range(0, channels).Sum(c => Enumerable.Range(0, p).Count(i => ring.Copies(c, i) > 0)));
    }

    [Theory]
    [InlineData(3, CollectiveKind.AllReduce)]
    [InlineData(4, CollectiveKind.ReduceScatter)]
    [InlineData(2, CollectiveKind.AllGather)]
    public void Ring_with_shared_edges_times_exactly_as_every_channel_edge_sent_alone(int nodes, CollectiveKind kind)
    {
        // DGX A100 nodes on a rail-optimised fabric with several spines (ECMP may put two channels'
        // inter-node edges on one uplink): the flows really contend.
        const int g = 8;
        int p = nodes * g;
        const double n = 3e8;
        var t = RailOptimized.Create(nodes, HardwarePresets.DgxA100, new FabricSpec { Kind = FabricKind.RailOptimized, LeafDownPorts = 4, UplinksPerLeaf = 2 });
        var ranks = Enumerable.Range(0, p).ToArray();

        var sim = new Simulation(1);
        var net = new FlowNetwork(sim, t);
        var ring = new RingCollective(net, ranks, n, kind, RingMode.Aggregated, g, g);
        ring.Run();
        sim.Run();

        // Reference: every channel's every edge as its own transfer, as the ring sent them before edges were shared.
        int steps = kind == CollectiveKind.AllReduce ? 2 * (p - 1) : p - 1;
        double edgeBytes = steps * (n / p) / g;
        var refSim = new Simulation(1);
        var refNet = new FlowNetwork(refSim, t);
        double last = 0;
        for (int c = 0; c < g; c++)
            for (int i = 0; i < p; i++)
                refNet.Transfer(edgeBytes, ring.Position(c, i), ring.Position(c, (i + 1) % p), _ => last = refSim.Now, 0, steps);
        refSim.Run();

        Assert.Equal(last, ring.Duration, last * 1e-12);
        Assert.True(net.Counters.TransfersStarted == g * p && refNet.Counters.TransfersStarted == g * p);
        for (int l = 0; l < t.LinkCount; l++)
            Assert.Equal(refNet.Counters.LinkBytes[l], net.Counters.LinkBytes[l], Math.Max(1, refNet.Counters.LinkBytes[l]) * 1e-9);
    }
}
