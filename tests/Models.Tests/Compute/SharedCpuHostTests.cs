using Sim.Core;
using Sim.Models.Compute;

namespace Sim.Models.Tests.Compute;

/// <summary>
/// Processor sharing on a shared CPU host against hand-computed schedules: fair shares between
/// scheduling groups (water-filling), equal shares between a group's threads, arrivals mid-way.
/// </summary>
public class SharedCpuHostTests
{
    /// <summary>Starts threads (start time, work) and returns each one's completion time.</summary>
    private static double[] Finish(int cores, double[] background, params (double Start, double Work)[] threads)
    {
        var sim = new Simulation();
        var host = new SharedCpuHost(sim, cores, background);
        var done = new double[threads.Length];
        for (int i = 0; i < threads.Length; i++)
        {
            int k = i;
            sim.Schedule(threads[i].Start, () => host.Run(threads[k].Work, token => done[token] = sim.Now, k));
        }
        sim.Run();
        Assert.Equal(0, host.RunnableThreads);
        return done;
    }

    [Fact]
    public void WhatTheOtherGroupsGot_FedAsTheirDemands_LeavesTheJobsShareUnchanged()
    {
        // The profiler measures what other groups got during a run, not what they wanted. Under
        // water-filling a group gets min(demand, level); while the job is held below its own demand,
        // its share is the level and every core is given out.
        var rng = new Random(7);
        int capped = 0;
        for (int trial = 0; trial < 2000; trial++)
        {
            int cores = rng.Next(1, 9), threads = rng.Next(1, 2 * cores + 1);
            var demands = Enumerable.Range(0, rng.Next(0, 5)).Select(_ => rng.NextDouble() * cores).ToArray();
            double job = new SharedCpuHost(new Simulation(), cores, demands).JobCores(threads);
            if (job >= Math.Min(threads, cores) - 1e-12) continue; // the job got all it wanted: the level is not known here
            capped++;
            var got = demands.Select(d => Math.Min(d, job)).ToArray();
            Assert.Equal(cores, got.Sum() + job, 9);
            Assert.Equal(job, new SharedCpuHost(new Simulation(), cores, got).JobCores(threads), 9);
        }
        Assert.True(capped > 300, $"only {capped} of 2000 random cases held the job below its demand");
    }

    [Theory]
    // cores, background groups, runnable job threads, expected job cores
    [InlineData(2, new double[0], 1, 1.0)]
    [InlineData(2, new double[0], 3, 2.0)]
    [InlineData(2, new[] { 1.0 }, 2, 1.0)]          // two groups wanting >= 1 core each: one core each
    [InlineData(2, new[] { 0.3 }, 2, 1.7)]          // a light group takes what it needs, the job the rest
    [InlineData(2, new[] { 1.5, 1.5 }, 3, 2.0 / 3)] // three saturated groups: two thirds each
    [InlineData(2, new[] { 0.2, 1.5 }, 2, 0.9)]     // 0.2 served, then 1.8 split between two
    [InlineData(4, new[] { 0.5 }, 1, 1.0)]          // a single thread never gets more than one core
    public void JobCores_AreTheMaxMinFairShare(int cores, double[] background, int threads, double expected)
    {
        var host = new SharedCpuHost(new Simulation(), cores, background);
        Assert.Equal(expected, host.JobCores(threads), 12);
    }

    [Fact]
    public void ThreadsUpToTheCoreCount_RunAtFullSpeed()
    {
        var done = Finish(2, [], (0, 1.0), (0, 3.0));
        Assert.Equal(1.0, done[0], 12);
        Assert.Equal(3.0, done[1], 12);
    }

    [Fact]
    public void MoreThreadsThanCores_ShareThemEqually()
    {
        // 3 threads on 2 cores: 2/3 core each until the short one (1 core-second) ends at 1.5 s,
        // then the others run alone: 2 - 1 = 1 core-second left each at full speed.
        var done = Finish(2, [], (0, 1.0), (0, 2.0), (0, 2.0));
        Assert.Equal(1.5, done[0], 12);
        Assert.Equal(2.5, done[1], 12);
        Assert.Equal(2.5, done[2], 12);
    }

    [Fact]
    public void ArrivalMidway_SlowsTheRunningThread()
    {
        // One core. A (1 s) alone until 0.5 s; then A and B share: A's last 0.5 s take 1 s (ends 1.5),
        // B has 0.5 of 1.0 done then and finishes its last 0.5 alone at 2.0.
        var done = Finish(1, [], (0, 1.0), (0.5, 1.0));
        Assert.Equal(1.5, done[0], 12);
        Assert.Equal(2.0, done[1], 12);
    }

    [Fact]
    public void BackgroundGroup_TakesItsFairShare()
    {
        // Two job threads on 2 cores beside one background group of a full core: the job gets 1 core,
        // half a core per thread, so 1 core-second each takes 2 s.
        var done = Finish(2, [1.0], (0, 1.0), (0, 1.0));
        Assert.Equal(2.0, done[0], 12);
        Assert.Equal(2.0, done[1], 12);
        // A single job thread still has a core of its own.
        Assert.Equal(1.0, Finish(2, [1.0], (0, 1.0))[0], 12);
    }

    [Fact]
    public void ZeroWork_CompletesAtOnce_AndCallbacksMayStartMoreWork()
    {
        var sim = new Simulation();
        var host = new SharedCpuHost(sim, 1);
        double end = double.NaN;
        host.Run(0, _ => host.Run(2.0, _ => end = sim.Now, 0), 0);
        sim.Run();
        Assert.Equal(2.0, end, 12);
    }

    [Fact]
    public void Conservation_TheHostIsWorkConserving()
    {
        // Random works all started at 0 on C cores: completions follow the work order, the last one is
        // no earlier than the total work over C (cores never idle while work waits) and no earlier than
        // the largest work (one thread uses at most one core); with more threads than cores throughout,
        // the whole work is done exactly at total/C.
        var rng = new Random(7);
        for (int trial = 0; trial < 200; trial++)
        {
            int cores = rng.Next(1, 5), n = rng.Next(1, 12);
            var works = Enumerable.Range(0, n).Select(_ => 0.1 + rng.NextDouble()).ToArray();
            var done = Finish(cores, [], works.Select(w => (0.0, w)).ToArray());
            var order = Enumerable.Range(0, n).OrderBy(i => works[i]).ToArray();
            for (int i = 1; i < n; i++) Assert.True(done[order[i]] >= done[order[i - 1]] - 1e-12);
            double last = done.Max();
            Assert.True(last >= works.Sum() / cores - 1e-9 && last >= works.Max() - 1e-9);
        }
        var equal = Enumerable.Repeat((0.0, 1.0), 6).ToArray();
        Assert.All(Finish(4, [], equal), t => Assert.Equal(1.5, t, 12));
    }

    [Fact]
    public void BadArguments_AreRejected()
    {
        var sim = new Simulation();
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedCpuHost(sim, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedCpuHost(sim, 2, [-1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedCpuHost(sim, 2).Run(double.NaN, _ => { }, 0));
    }
}
