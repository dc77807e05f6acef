using Sim.Models.Cluster;
using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Models.Tests.Cluster;

/// <summary>Spark-hosted (BigDL-style) jobs: closed-form iteration on the simulator, and contention on the same fabric.</summary>
public class SparkHostedJobTests
{
    [Fact]
    public void IterationIsComputePlusTwoStagesOfSchedulingPlusTwoShuffles()
    {
        var spark = new SparkStageCosts(StageLaunchSeconds: 0.02, TaskLaunchSeconds: 0.001);
        var profile = new TrainingProfile("spark", 0.05, 1e9, 1e-4, spark);
        // 4 tasks at 12.5 GB/s: 2 x (0.02 + 4 x 0.001) scheduling + 2 x (3/4 x 1e9 / 12.5e9 + 1e-4) shuffle.
        double expected = 0.05 + 2 * (0.02 + 0.004) + 2 * (0.75 * 1e9 / 12.5e9 + 1e-4);
        Assert.Equal(expected, profile.IterationSeconds(4, 12.5e9), 12);
        // One task still pays the two stages' scheduling, but no shuffle.
        Assert.Equal(0.05 + 2 * 0.021, profile.IterationSeconds(1, double.PositiveInfinity), 12);
        // Same bytes per node as a ring all-reduce, but no pipelining and a stage overhead per iteration: slower.
        var ddp = profile with { Spark = null };
        Assert.True(profile.IterationSeconds(4, 12.5e9) > ddp.IterationSeconds(4, 12.5e9));
    }

    [Fact]
    public void SparkJobsRunInTheClusterAtTheirClosedFormSpeed()
    {
        var profile = new TrainingProfile("spark", 0.05, 1e9, 1e-4, new SparkStageCosts(0.02, 0.001));
        var sim = new ClusterSimulator(new GpuCluster(4, 1, nodesPerLeaf: 2), SchedulerRegistry.Create("fifo"),
            new ClusterSimulationOptions { Placement = PlacementPolicy.TopologyAware },
            new RingContention(FatTree.TwoLevel(4, 12.5e9, 1e-6,
                new FabricSpec { Kind = FabricKind.FatTree2, LeafDownPorts = 2, UplinksPerLeaf = 1, Oversubscription = 2 }, NodeKind.Gpu)));
        var o = sim.Run(new JobList([new ClusterJob(0, 0, 2, 100, 100, profile)]));
        double expected = 100 * profile.IterationSeconds(2, 12.5e9);
        Assert.Equal(expected, o.Jobs[0].CompletionTime, expected * 1e-9);
    }
}
