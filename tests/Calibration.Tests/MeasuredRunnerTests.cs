using Sim.Calibration.Profiling;
using Xunit.Abstractions;

namespace Sim.Calibration.Tests;

/// <summary>
/// Real DDP training over gloo on this machine with 1 and 2 processes, read back through the
/// step-log format: the harness that `sim validate` will compare simulations against.
/// </summary>
public sealed class MeasuredRunnerTests(ITestOutputHelper output)
{
    [TorchFact]
    public void TinyMlp_OneAndTwoProcesses_ReportEveryIteration()
    {
        TorchEnvironment.Require();
        var runner = new MeasuredRunner();
        var one = runner.Run("mlp", batch: 8, processes: 1, iterations: 6, warmup: 2);
        var two = runner.Run("mlp", batch: 8, processes: 2, iterations: 6, warmup: 2);
        output.WriteLine($"1 process: median {one.MedianSeconds * 1e3:F3} ms; 2 processes: median {two.MedianSeconds * 1e3:F3} ms");

        // At least the iterations asked for, and as many more as fill the measured window (1 s).
        foreach (var run in new[] { one, two })
        {
            Assert.InRange(run.Steps.Count, 6, 100_000);
            Assert.Equal(Enumerable.Range(0, run.Steps.Count), run.Steps.Select(s => s.Iteration));
        }
        Assert.All(one.Steps, s => Assert.Equal((1, 0, 8, "mlp"), (s.WorldSize!.Value, s.Rank!.Value, s.Batch!.Value, s.Model)));
        Assert.All(two.Steps, s => Assert.Equal((2, 0, 8, "mlp"), (s.WorldSize!.Value, s.Rank!.Value, s.Batch!.Value, s.Model)));
        // The cores every other scheduling group used during the measured window are recorded, with the
        // cores the run used itself; together they cannot exceed the machine (clock ticks are 10 ms: 1%
        // of a core over the 1 s window, per meter).
        int cores = Environment.ProcessorCount;
        foreach (var run in new[] { one, two })
        {
            var first = run.Steps[0];
            output.WriteLine($"{run.Processes} process(es): background {string.Join("+", run.BackgroundCores.Select(c => c.ToString("F2")))}, " +
                $"job {run.JobCores:F2}, session {run.SessionCores:F2} cores over {first.WindowSeconds:F3} s");
            Assert.All(run.Steps, s => Assert.True(s.BackgroundDuringRun));
            Assert.InRange(first.WindowSeconds!.Value, 1.0, 600);
            Assert.All(run.BackgroundCores, c => Assert.InRange(c, 0.01, cores));
            Assert.InRange(run.JobCores, 0.05, cores);
            Assert.InRange(run.SessionCores, 0, cores);
            Assert.InRange(run.JobCores + run.SessionCores + run.BackgroundCores.Sum(), 0, cores * 1.05);
            // The window holds every measured step.
            Assert.InRange(run.Steps.Sum(s => s.Seconds), 0, first.WindowSeconds!.Value);
            // Two meters, one inside the other: the ranks' CPU clocks during their steps cannot exceed
            // the job's CPU over the whole window from /proc (10 ms ticks, truncated at both ends).
            Assert.InRange(run.StepCpuSeconds * run.Steps.Count, 1e-4, run.JobCores * first.WindowSeconds!.Value + 0.02 * run.Processes);
        }
        // One process with one compute thread cannot use much more than one core.
        Assert.InRange(one.JobCores, 0.05, 1.1);
        // Two ranks add a gradient all-reduce (about 1.1 MB of gradients) to every step.
        Assert.True(two.MedianSeconds > one.MedianSeconds,
            $"2-process step {two.MedianSeconds * 1e3:F3} ms should exceed 1-process step {one.MedianSeconds * 1e3:F3} ms");
    }

    [TorchFact]
    public void Rounds_MeasureEveryConfigurationInItsOwnWindows_RoundRobin()
    {
        TorchEnvironment.Require();
        var grid = new[] { ("mlp", 8, 1), ("mlp", 8, 2) };
        var runs = new MeasuredRunner().RunRounds(grid, rounds: 3, windowSeconds: 0.1, iterationsPerWindow: 3, warmupPerWindow: 1);
        Assert.Equal(grid, runs.Select(r => (r.Model, r.Batch, r.Processes)));
        foreach (var run in runs)
        {
            output.WriteLine($"x{run.Processes}: windows {string.Join(" ", run.WindowMedians.Select(m => (m * 1e3).ToString("F3")))} ms, " +
                $"median {run.MedianSeconds * 1e3:F3} ms, background {string.Join("+", run.BackgroundCores.Select(c => c.ToString("F2")))}, job {run.JobCores:F2}");
            Assert.Equal(3, run.WindowMedians.Count);
            Assert.All(run.Steps, s => Assert.Equal((run.Processes, 0, 8, "mlp"), (s.WorldSize!.Value, s.Rank!.Value, s.Batch!.Value, s.Model)));
            Assert.All(run.Steps.GroupBy(s => s.Window), g => Assert.InRange(g.Count(), 3, 100_000));
            Assert.InRange(run.MedianSeconds, run.WindowMedians.Min(), run.WindowMedians.Max());
            // The meters are read over the configuration's windows together: at least 3 x 0.1 s, holding every step.
            Assert.InRange(run.Steps[0].WindowSeconds!.Value, 0.3, 600);
            Assert.InRange(run.Steps.Sum(s => s.Seconds), 0, run.Steps[0].WindowSeconds!.Value);
            Assert.InRange(run.JobCores, 0.05, Environment.ProcessorCount * 1.05);
            Assert.InRange(run.StepCpuSeconds, 1e-5, 1);
        }
        Assert.True(runs[1].MedianSeconds > runs[0].MedianSeconds, "two ranks add a gradient all-reduce to every step");
    }

    [Fact]
    public void BadArguments_AreRejectedBeforeLaunching()
    {
        var runner = new MeasuredRunner();
        Assert.Contains("rounds", Assert.Throws<ArgumentException>(() => runner.RunRounds([("mlp", 8, 1)], rounds: 0)).Message);
        Assert.Contains("twice", Assert.Throws<ArgumentException>(() => runner.RunRounds([("mlp", 8, 1), ("mlp", 8, 1)])).Message);
        Assert.Contains("model", Assert.Throws<ArgumentException>(() => runner.RunRounds([("resnet9000", 8, 1)])).Message);
        Assert.Contains("model", Assert.Throws<ArgumentException>(() => runner.Run("resnet9000", 8, 1, 1)).Message);
        Assert.Contains("processes", Assert.Throws<ArgumentException>(() => runner.Run("mlp", 8, 0, 1)).Message);
        Assert.Contains("batch", Assert.Throws<ArgumentException>(() => runner.Run("mlp", 0, 1, 1)).Message);
    }

    [Fact]
    public void ProfileRequest_Validation_NamesTheField()
    {
        Assert.Contains("device", Assert.Throws<ArgumentException>(() => new ProfileRequest("tpu", "/tmp/x").Validate()).Message);
        Assert.Contains("grid", Assert.Throws<ArgumentException>(() => new ProfileRequest("cpu", "/tmp/x", Grid: "huge").Validate()).Message);
        Assert.Contains("repeats", Assert.Throws<ArgumentException>(() => new ProfileRequest("cpu", "/tmp/x", Repeats: 1).Validate()).Message);
    }
}
