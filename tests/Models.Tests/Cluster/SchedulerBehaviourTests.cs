using Sim.Core.Randomness;
using Sim.Models.Cluster;

namespace Sim.Models.Tests.Cluster;

/// <summary>Hand-computed schedules (exact times) and properties of the cluster simulator.</summary>
public class SchedulerBehaviourTests
{
    private static ClusterOutcome Run(string scheduler, int gpus, ClusterJob[] jobs, ClusterSimulationOptions? options = null, SchedulerOptions? so = null) =>
        new ClusterSimulator(new GpuCluster(1, gpus), SchedulerRegistry.Create(scheduler, so), options).Run(new JobList(jobs));

    private static ClusterJob Job(int id, double arrival, int gpus, double work) => new(id, arrival, gpus, work, work);

    private static JobRecord Get(ClusterOutcome o, int id) => o.Jobs.Single(j => j.Id == id);

    private static readonly ClusterJob[] BackfillCase =
    [
        Job(0, 0, 3, 10),  // runs 0-10
        Job(1, 1, 4, 5),   // head: blocked until 10
        Job(2, 2, 1, 5),   // ends at 7 <= 10: may backfill
        Job(3, 3, 1, 20),  // would end at 23 > 10 and no spare GPUs at 10: must wait
    ];

    [Fact]
    public void EasyBackfillingStartsOnlyJobsThatDoNotDelayTheHead()
    {
        var o = Run("fifo", 4, BackfillCase);
        Assert.Equal(2, Get(o, 2).FirstStart);
        Assert.Equal(10, Get(o, 1).FirstStart);
        Assert.Equal(15, Get(o, 3).FirstStart);
    }

    [Fact]
    public void StrictFifoBlocksBehindTheHead()
    {
        var o = Run("fifo", 4, BackfillCase, new ClusterSimulationOptions { Backfill = false });
        Assert.Equal(10, Get(o, 1).FirstStart);
        Assert.Equal(15, Get(o, 2).FirstStart);
        Assert.Equal(15, Get(o, 3).FirstStart);
    }

    [Fact]
    public void SrtfPreemptsAndPaysCheckpointAndRestore()
    {
        var o = Run("srtf", 1, [Job(0, 0, 1, 10), Job(1, 1, 1, 2)], new ClusterSimulationOptions { CheckpointSeconds = 0.25, RestoreSeconds = 0.75 });
        Assert.Equal(3, Get(o, 1).Finish, 12);
        Assert.Equal(3 + 1 + 9, Get(o, 0).Finish, 12);
        Assert.Equal(1, Get(o, 0).Preemptions);
        Assert.Equal(1, o.Preemptions);
    }

    [Fact]
    public void TiresiasDemotesAtThresholdsAndServesFifoWithinAQueue()
    {
        var o = Run("tiresias", 1, [Job(0, 0, 1, 10), Job(1, 1, 1, 10)], so: new SchedulerOptions { TiresiasThresholds = [5] });
        Assert.Equal(15, Get(o, 0).Finish, 9);
        Assert.Equal(20, Get(o, 1).Finish, 9);
        // 2D attained service: a 2-GPU job reaches 5 GPU-seconds in 2.5 s. Job 0 runs 0-2.5, job 1
        // 2.5-5 (then it is demoted too), job 0 finishes its 7.5 s left at 12.5, job 1 at 20.
        var o2 = Run("tiresias", 2, [Job(0, 0, 2, 10), Job(1, 1, 2, 10)], so: new SchedulerOptions { TiresiasThresholds = [5] });
        Assert.Equal(12.5, Get(o2, 0).Finish, 9);
        Assert.Equal(20, Get(o2, 1).Finish, 9);
    }

    [Fact]
    public void SjfStartsTheShortestWaitingJobWithoutPreempting()
    {
        var o = Run("sjf", 1, [Job(0, 0, 1, 10), Job(1, 1, 1, 5), Job(2, 2, 1, 1)]);
        Assert.Equal(11, Get(o, 2).Finish, 12);
        Assert.Equal(16, Get(o, 1).Finish, 12);
    }

    [Fact]
    public void ProcessorSharingWaterFillsSharesCappedAtGangSize()
    {
        // 4 GPUs: a 1-GPU job and a 4-GPU job. Max-min: the small one gets 1 GPU, the big one 3 (share 3/4).
        var o = Run("ps", 4, [Job(0, 0, 1, 3), Job(1, 0, 4, 6)]);
        Assert.Equal(3, Get(o, 0).Finish, 12);
        Assert.Equal(3 + (6 - 3 * 0.75), Get(o, 1).Finish, 12);
    }

    [Fact]
    public void BusyGpuSecondsEqualTheWorkServedWithoutOverheads()
    {
        foreach (var policy in SchedulerRegistry.Names)
        {
            var stream = new SyntheticJobSource(new SyntheticJobSource.Options(0.05, Distributions.Parse("empirical(1, 1, 2, 4, 8)"),
                Distributions.Parse("lognormal(3, 1)"), MaxGpus: 16, MaxJobs: 400), 3);
            var o = new ClusterSimulator(new GpuCluster(2, 8), SchedulerRegistry.Create(policy)).Run(stream);
            Assert.Equal(400, o.Jobs.Count);
            double work = o.Jobs.Sum(j => j.Gpus * j.Work);
            Assert.Equal(work, o.BusyGpuSeconds, work * 1e-9);
            Assert.All(o.Jobs, j => Assert.True(j.Slowdown >= 1 - 1e-9, $"{policy}: job {j.Id} slowdown {j.Slowdown}"));
        }
    }

    [Fact]
    public void SameSeedSameResultsBitForBit()
    {
        ClusterOutcome Once(ulong seed)
        {
            var stream = new SyntheticJobSource(new SyntheticJobSource.Options(0.05, Distributions.Parse("empirical(1, 2, 4, 8, 16)"),
                Distributions.Parse("pareto(10, 1.5)"), MaxGpus: 32, EstimateError: Distributions.Parse("lognormal(0, 0.5)"),
                DiurnalAmplitude: 0.5, MaxJobs: 500), seed);
            return new ClusterSimulator(new GpuCluster(4, 8, nodesPerLeaf: 2), SchedulerRegistry.Create("tiresias"),
                new ClusterSimulationOptions { CheckpointSeconds = 1, RestoreSeconds = 2, Placement = PlacementPolicy.TopologyAware }).Run(stream);
        }
        var a = Once(11);
        var b = Once(11);
        Assert.Equal(a.Jobs, b.Jobs);
        Assert.Equal(a.BusyGpuSeconds, b.BusyGpuSeconds);
        Assert.NotEqual(a.Jobs.Select(j => j.Finish), Once(12).Jobs.Select(j => j.Finish));
    }

    [Fact]
    public void JobsThatCanNeverRunAreRejectedWithTheirName()
    {
        var ex = Assert.Throws<ArgumentException>(() => Run("fifo", 4, [new ClusterJob(0, 0, 5, 1, 1, Name: "big")]));
        Assert.Contains("big", ex.Message);
        Assert.Contains("5 GPUs", ex.Message);
    }

    [Fact]
    public void DiurnalModulationFollowsTheDailyCycle()
    {
        var stream = new SyntheticJobSource(new SyntheticJobSource.Options(0.01, new Deterministic(1), new Deterministic(1), 1,
            DiurnalAmplitude: 0.8, PeakTime: 14 * 3600, Horizon: 200 * 86_400), 5);
        int peak = 0, trough = 0;
        while (stream.TryNext(out var j))
        {
            double hour = j.Arrival % 86_400 / 3600;
            if (hour >= 13 && hour < 15) peak++;
            if (hour >= 1 && hour < 3) trough++;
        }
        // Expected ratio (1 + 0.8 cos(small)) / (1 - 0.8 cos(small)) ~ 8.5; counts are ~1,300 and ~150.
        Assert.InRange((double)peak / trough, 6, 12);
    }
}
