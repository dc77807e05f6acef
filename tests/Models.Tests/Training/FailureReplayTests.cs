using Sim.Core.Randomness;
using Sim.Models.Faults;
using Sim.Models.Training;
using Xunit.Abstractions;

namespace Sim.Models.Tests.Training;

/// <summary>
/// Failures and restarts laid over a pipeline/3D job's iterations, against closed forms: with Poisson
/// failures at the job's rate N/M (N GPUs of MTBF M), a segment of w seconds of work (iterations plus
/// the checkpoint that ends it) restarted after each failure by an interruptible recovery of R seconds
/// takes M e^(R/M) (e^(w/M) - 1) seconds on average (Daly, "A higher order estimate of the optimum
/// checkpoint interval for restart dumps", FGCS 2006, eq. 9 with the restart cost included), and each
/// failure loses about half a segment plus the recovery (first order, w much less than M).
/// </summary>
public class FailureReplayTests(ITestOutputHelper output)
{
    // 16 GPUs of MTBF 16,000 s each (2 nodes that never fail): the job fails every 1,000 s on average.
    private const int Gpus = 16;
    private const double JobMtbf = 1_000, Iteration = 0.7, Interval = 100, Checkpoint = 10, Detection = 20, Restart = 30;

    private static FailureModel Failures => new()
    {
        GpuMtbfSeconds = JobMtbf * Gpus, DetectionSeconds = Detection, RestartSeconds = Restart,
        CheckpointSeconds = Checkpoint, CheckpointIntervalSeconds = Interval,
    };

    private static FailureReplay Replay(int iterations, ulong seed) =>
        new(Enumerable.Repeat(Iteration, iterations).ToArray(), 0.6, 0.3, Failures, Gpus, gpusPerNode: 8, new RandomStream(seed, "failures"));

    [Fact]
    public void Mean_job_time_matches_Dalys_closed_form()
    {
        const int n = 100_000;
        // A checkpoint follows the first iteration that ends at least Interval after the last one:
        // every k = ceil(100 / 0.7) = 143 iterations, none after the last iteration.
        int k = (int)Math.Ceiling(Interval / Iteration);
        int full = (n - 1) / k, last = n - full * k;
        double r = Detection + Restart;
        double Segment(double w) => JobMtbf * Math.Exp(r / JobMtbf) * (Math.Exp(w / JobMtbf) - 1);
        double expected = full * Segment(k * Iteration + Checkpoint) + Segment(last * Iteration);

        var runs = Enumerable.Range(1, 24).Select(s => Replay(n, (ulong)s)).ToArray();
        double mean = runs.Average(x => x.JobTime);
        double sd = Math.Sqrt(runs.Sum(x => (x.JobTime - mean) * (x.JobTime - mean)) / (runs.Length - 1));
        output.WriteLine($"mean job time {mean:F0} s (sd {sd:F0} s over {runs.Length} seeds), Daly {expected:F0} s, failure-free {n * Iteration:F0} s");
        Assert.All(runs, x => Assert.Equal(full, x.Checkpoints));
        Assert.All(runs, x => Assert.Equal(n, x.IterationTimes.Count));
        // The mean of 24 runs is within 4 standard errors of the closed form, and the closed form is far
        // from the failure-free time (so the test would notice failures being ignored).
        Assert.InRange(mean, expected - 4 * sd / Math.Sqrt(runs.Length), expected + 4 * sd / Math.Sqrt(runs.Length));
        Assert.True(expected > 1.15 * n * Iteration);

        // Goodput: the committed work over the job time.
        double goodput = runs.Average(x => x.IterationTimes.Sum() / x.JobTime);
        Assert.Equal(n * Iteration / expected, goodput, 0.01);
    }

    [Fact]
    public void Each_failure_loses_about_half_a_segment_plus_the_recovery()
    {
        var runs = Enumerable.Range(100, 12).Select(s => Replay(100_000, (ulong)s)).ToArray();
        double perFailure = runs.Sum(x => x.Breakdown.FailureLoss) / runs.Sum(x => x.Failures);
        int k = (int)Math.Ceiling(Interval / Iteration);
        double firstOrder = (k * Iteration + Checkpoint) / 2 + Detection + Restart;
        output.WriteLine($"{runs.Sum(x => x.Failures)} failures, {perFailure:F1} s lost each; first order {firstOrder:F1} s");
        Assert.InRange(perFailure, 0.93 * firstOrder, 1.07 * firstOrder);
        // Conservation: job time = committed iterations + checkpoints + failure loss.
        Assert.All(runs, x => Assert.Equal(x.JobTime, x.IterationTimes.Sum() + x.Breakdown.Checkpoint + x.Breakdown.FailureLoss, 1e-6 * x.JobTime));
        // Compute, exposed communication and bubble keep the shares they were given.
        Assert.All(runs, x => Assert.Equal(0.3 * x.IterationTimes.Sum(), x.Breakdown.Bubble, 1e-6 * x.JobTime));
    }

    [Fact]
    public void Waste_is_smallest_at_Youngs_interval()
    {
        // Young: sqrt(2 C M) = sqrt(2 x 10 x 1,000) = 141 s. Waste = 1 - committed work / job time,
        // averaged over 8 seeds per interval; 0.25x and 4x Young waste clearly more.
        double young = FailureModel.YoungInterval(Checkpoint, JobMtbf);
        var waste = new List<(double Factor, double Waste)>();
        foreach (double factor in new[] { 0.25, 0.5, 1, 2, 4 })
        {
            var f = Failures with { CheckpointIntervalSeconds = young * factor };
            double w = Enumerable.Range(1, 8).Average(seed =>
            {
                var r = new FailureReplay(Enumerable.Repeat(Iteration, 100_000).ToArray(), 1, 0, f, Gpus, 8, new RandomStream((ulong)seed, "failures"));
                return 1 - r.IterationTimes.Sum() / r.JobTime;
            });
            output.WriteLine($"interval {young * factor,6:F0} s: waste {w:P2}");
            waste.Add((factor, w));
        }
        Assert.Equal(1, waste.MinBy(x => x.Waste).Factor);
        Assert.True(waste[0].Waste > waste[2].Waste * 1.3 && waste[4].Waste > waste[2].Waste * 1.3);
    }

    [Fact]
    public void Without_checkpoints_a_failure_restarts_from_the_first_iteration()
    {
        // 100 iterations of 0.7 s (70 s) against a 1,000 s job MTBF: a run of 70 s survives with
        // probability e^(-0.07); each failure loses everything done so far, and every iteration counts once.
        var f = Failures with { CheckpointIntervalSeconds = double.PositiveInfinity };
        var runs = Enumerable.Range(1, 2000).Select(seed => new FailureReplay(Enumerable.Repeat(Iteration, 100).ToArray(), 1, 0, f, Gpus, 8, new RandomStream((ulong)seed, "failures"))).ToArray();
        Assert.All(runs, r => Assert.Equal(100, r.IterationTimes.Count));
        Assert.All(runs, r => Assert.Equal(0, r.Checkpoints));
        Assert.All(runs, r => Assert.Equal(r.JobTime, 70 + r.Breakdown.FailureLoss, 1e-9));
        // Daly with w = 70 s: mean job time M e^(R/M) (e^(w/M) - 1) = 76.3 s.
        double expected = JobMtbf * Math.Exp((Detection + Restart) / JobMtbf) * (Math.Exp(70 / JobMtbf) - 1);
        double mean = runs.Average(r => r.JobTime);
        double se = Math.Sqrt(runs.Sum(r => (r.JobTime - mean) * (r.JobTime - mean)) / (runs.Length - 1) / runs.Length);
        Assert.InRange(mean, expected - 4 * se, expected + 4 * se);
        Assert.True(4 * se < 0.05 * expected, $"too few runs to tell: standard error {se:F2} s");
    }

    [Fact]
    public void Same_seed_same_result_bit_for_bit_and_another_seed_differs()
    {
        var a = Replay(20_000, 7);
        var b = Replay(20_000, 7);
        var c = Replay(20_000, 8);
        Assert.Equal(a.JobTime, b.JobTime);
        Assert.Equal(a.Failures, b.Failures);
        Assert.Equal(a.Breakdown, b.Breakdown);
        Assert.NotEqual(a.JobTime, c.JobTime);
    }

    [Fact]
    public void Without_failures_the_job_is_its_iterations_and_checkpoints()
    {
        var noFailures = Failures with { GpuMtbfSeconds = double.PositiveInfinity };
        var r = new FailureReplay(Enumerable.Repeat(Iteration, 1000).ToArray(), 1, 0, noFailures, Gpus, 8, new RandomStream(1, "failures"));
        int k = (int)Math.Ceiling(Interval / Iteration);
        Assert.Equal(0, r.Failures);
        Assert.Equal(999 / k, r.Checkpoints);
        Assert.Equal(1000 * Iteration + 999 / k * Checkpoint, r.JobTime, 1e-9);
    }
}
