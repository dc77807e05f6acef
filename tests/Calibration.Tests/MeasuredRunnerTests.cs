/// <summary>
/// Real DDP training over gloo on this machine with 1 and 2 processes, read back through the
/// step-log format: the harness that `sim validate` will compare simulations against.
/// </summary>
using Sim.Calibration.Profiling;
using Xunit.Abstractions;

namespace Sim.Calibration.Tests;

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

        Assert.Equal(Enumerable.Range(0, 6), one.Steps.Select(s => s.Iteration));
        Assert.Equal(Enumerable.Range(0, 6), two.Steps.Select(s => s.Iteration));
        Assert.All(one.Steps, s => Assert.Equal((1, 0, 8, "mlp"), (s.WorldSize!.Value, s.Rank!.Value, s.Batch!.Value, s.Model)));
        Assert.All(two.Steps, s => Assert.Equal((2, 0, 8, "mlp"), (s.WorldSize!.Value, s.Rank!.Value, s.Batch!.Value, s.Model)));
        // The other processes' CPU demand around each run is recorded per scheduling group, in cores.
        foreach (var run in new[] { one, two })
        {
            Assert.All(run.Steps, s => Assert.NotNull(s.BackgroundCores));
            Assert.All(run.BackgroundCores, c => Assert.InRange(c, 0.01, Environment.ProcessorCount));
        }
        // Two ranks add a gradient all-reduce (about 1.1 MB of gradients) to every step.
        Assert.True(two.MedianSeconds > one.MedianSeconds,
            $"2-process step {two.MedianSeconds * 1e3:F3} ms should exceed 1-process step {one.MedianSeconds * 1e3:F3} ms");
    }

    [Fact]
    public void BadArguments_AreRejectedBeforeLaunching()
    {
        var runner = new MeasuredRunner();
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
