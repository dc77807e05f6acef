using Sim.Core.Randomness;
using Sim.Models.Cluster;
using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Models.Tests.Cluster;

/// <summary>The incremental re-pricing equals a from-scratch max-min solve of all rings, after every change.</summary>
public class RingContentionTests
{
    private static readonly TrainingProfile Profile = new("p", 0.01, 1e8, 1e-6);

    [Fact]
    public void IncrementalBandwidthsEqualAFullSolveAfterEveryStartAndStop()
    {
        var topology = FatTree.TwoLevel(16, 10e9, 1e-6,
            new FabricSpec { Kind = FabricKind.FatTree2, LeafDownPorts = 4, UplinksPerLeaf = 2, Oversubscription = 2 }, NodeKind.Gpu);
        var net = new RingContention(topology);
        var cluster = new GpuCluster(16, 1, nodesPerLeaf: 4);
        var rng = new RandomStream(42);
        var running = new List<JobState>();
        int id = 0, contended = 0;
        for (int step = 0; step < 300; step++)
        {
            bool start = running.Count == 0 || (cluster.FreeGpus >= 2 && rng.NextDouble() < 0.55);
            if (start)
            {
                int gpus = 2 + (int)rng.NextBounded((ulong)Math.Min(4, cluster.FreeGpus - 1));
                var j = new JobState(new ClusterJob(id++, 0, gpus, 1, 1, Profile), id, -1)
                {
                    Placement = cluster.Allocate(gpus, rng.NextDouble() < 0.5 ? PlacementPolicy.Spread : PlacementPolicy.Packed),
                    Running = true,
                };
                net.Attach(j);
                running.Add(j);
            }
            else
            {
                var j = running[(int)rng.NextBounded((ulong)running.Count)];
                net.Detach(j);
                cluster.Release(j.Placement!);
                running.Remove(j);
            }
            net.Assign(running);
            var expected = FullSolve(topology, running);
            for (int k = 0; k < running.Count; k++)
            {
                Assert.Equal(expected[k], running[k].RingBandwidth, expected[k] * 1e-9);
                if (expected[k] < FullSolve(topology, [running[k]])[0] * (1 - 1e-9)) contended++;
            }
        }
        Assert.True(contended > 50, $"only {contended} contended ring states: the test must exercise sharing");
    }

    private static double[] FullSolve(Topology topology, List<JobState> jobs)
    {
        var paths = new List<int[]>();
        var owner = new List<int>();
        Span<int> path = stackalloc int[Topology.MaxPathLength];
        for (int k = 0; k < jobs.Count; k++)
        {
            var g = jobs[k].Placement!;
            for (int i = 0; i < g.Length; i++)
            {
                int n = topology.Route(g[i], g[(i + 1) % g.Length], path);
                paths.Add(path[..n].ToArray());
                owner.Add(k);
            }
        }
        var caps = Enumerable.Range(0, topology.LinkCount).Select(topology.LinkBandwidth).ToArray();
        var rates = MaxMinFair.Solve(caps, paths);
        var result = Enumerable.Repeat(double.PositiveInfinity, jobs.Count).ToArray();
        for (int f = 0; f < rates.Length; f++) result[owner[f]] = Math.Min(result[owner[f]], rates[f]);
        return result;
    }
}
