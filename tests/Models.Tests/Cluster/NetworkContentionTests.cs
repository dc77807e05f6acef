using Sim.Models.Cluster;
using Sim.Models.Collectives;
using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Models.Tests.Cluster;

/// <summary>
/// Jobs whose rings share an oversubscribed link slow each other exactly as max-min fair shares
/// predict, and a placement that keeps each ring under one leaf switch removes the slowdown.
/// Fabric: 4 one-GPU hosts, 2 per leaf, one spine, oversubscription 2, so each leaf's uplink carries
/// 2 x 100 Gb/s / 2 = 100 Gb/s: one ring crossing it runs at full host speed, two rings get half each.
/// </summary>
public class NetworkContentionTests
{
    private const double HostBandwidth = 12.5e9; // 100 Gb/s in bytes/s
    private static readonly TrainingProfile Profile = new("test", ComputeSeconds: 0.05, GradientBytes: 1e9, StepLatency: 5e-6);
    private const double Iterations = 1_000;

    private static Topology Fabric() => FatTree.TwoLevel(4, HostBandwidth, 1e-6,
        new FabricSpec { Kind = FabricKind.FatTree2, LeafDownPorts = 2, UplinksPerLeaf = 1, Oversubscription = 2 }, NodeKind.Gpu);

    private static ClusterOutcome Run(PlacementPolicy placement, int jobs, bool shared = true)
    {
        var list = Enumerable.Range(0, jobs).Select(i => new ClusterJob(i, 0, 2, Iterations, Iterations, Profile));
        var sim = new ClusterSimulator(new GpuCluster(4, 1, nodesPerLeaf: 2), SchedulerRegistry.Create("fifo"),
            new ClusterSimulationOptions { Placement = placement }, new RingContention(Fabric(), shared));
        return sim.Run(new JobList(list));
    }

    private static double IterationSeconds(double bandwidth) => Profile.ComputeSeconds + CollectiveCosts.RingAllReduce(2, Profile.GradientBytes, Profile.StepLatency, 1 / bandwidth);

    [Fact]
    public void TwoRingsOnOneOversubscribedUplinkEachGetHalfOfIt()
    {
        var outcome = Run(PlacementPolicy.Spread, 2);
        Assert.All(outcome.Jobs, j => Assert.Equal(2, j.LeavesSpanned));
        double expected = Iterations * IterationSeconds(HostBandwidth / 2);
        foreach (var j in outcome.Jobs) Assert.Equal(expected, j.CompletionTime, expected * 1e-9);
        // The slowdown is the communication share doubling, nothing else.
        double ideal = Iterations * IterationSeconds(HostBandwidth);
        Assert.All(outcome.Jobs, j => Assert.Equal(expected / ideal, j.Slowdown, 1e-9));
        Assert.True(expected / ideal > 1.5, "the test must exercise a communication-heavy job");
    }

    [Fact]
    public void AloneOnTheUplinkARingRunsAtHostSpeed()
    {
        var outcome = Run(PlacementPolicy.Spread, 1);
        double expected = Iterations * IterationSeconds(HostBandwidth);
        Assert.Equal(expected, outcome.Jobs[0].CompletionTime, expected * 1e-9);
    }

    [Fact]
    public void TopologyAwarePlacementKeepsRingsUnderTheirLeafAndRemovesTheSlowdown()
    {
        var outcome = Run(PlacementPolicy.TopologyAware, 2);
        double expected = Iterations * IterationSeconds(HostBandwidth);
        Assert.All(outcome.Jobs, j =>
        {
            Assert.Equal(1, j.LeavesSpanned);
            Assert.Equal(expected, j.CompletionTime, expected * 1e-9);
            Assert.Equal(1, j.Slowdown, 1e-9);
        });
    }

    [Fact]
    public void WithoutSharingTheSameSpreadPlacementIsNotSlowed()
    {
        var outcome = Run(PlacementPolicy.Spread, 2, shared: false);
        double expected = Iterations * IterationSeconds(HostBandwidth);
        Assert.All(outcome.Jobs, j => Assert.Equal(expected, j.CompletionTime, expected * 1e-9));
    }

    [Fact]
    public void WhenOneRingLeavesTheOtherSpeedsUpToFullBandwidth()
    {
        // Job 0 has half the work: both share the uplink until it ends, then job 1 runs alone.
        var jobs = new[]
        {
            new ClusterJob(0, 0, 2, Iterations / 2, Iterations / 2, Profile),
            new ClusterJob(1, 0, 2, Iterations, Iterations, Profile),
        };
        var sim = new ClusterSimulator(new GpuCluster(4, 1, nodesPerLeaf: 2), SchedulerRegistry.Create("fifo"),
            new ClusterSimulationOptions { Placement = PlacementPolicy.Spread }, new RingContention(Fabric()));
        var outcome = sim.Run(new JobList(jobs));
        double shared = IterationSeconds(HostBandwidth / 2), alone = IterationSeconds(HostBandwidth);
        double t0 = Iterations / 2 * shared;
        double t1 = t0 + Iterations / 2 * alone;
        Assert.Equal(t0, outcome.Jobs.Single(j => j.Id == 0).Finish, t0 * 1e-9);
        Assert.Equal(t1, outcome.Jobs.Single(j => j.Id == 1).Finish, t1 * 1e-9);
    }
}
