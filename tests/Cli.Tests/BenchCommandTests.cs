namespace Sim.Cli.Tests;

/// <summary>`sim bench` prints its table (workload, rates, wall time, memory) and rejects bad options.
/// The numbers themselves are measured by running the benchmarks, not asserted here.</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public void PipelineBenchmarkPrintsEventsPerSecondAndMemory()
    {
        var (code, output, error) = SimCommandLine.Invoke("bench", "pipeline", "--runs", "0");
        Assert.True(code == 0, error);
        Assert.Contains("events", output);
        Assert.Contains("peak RSS (MB)", output);
        Assert.Contains("GPT-3 175B, 10,240 GPUs", output);
    }

    [Fact]
    public void DataParallelBenchmarkRunsASmallSize()
    {
        var (code, output, error) = SimCommandLine.Invoke("bench", "data-parallel", "--gpus", "64", "--iterations", "5", "--runs", "0");
        Assert.True(code == 0, error);
        Assert.Contains("ResNet-50 DP, 64 GPUs", output);
    }

    [Theory]
    [InlineData("--gpus", "63")]
    [InlineData("--gpus", "abc")]
    [InlineData("--iterations", "0")]
    public void BadOptionsAreBadInput(string option, string value)
    {
        var (code, _, error) = SimCommandLine.Invoke("bench", "data-parallel", option, value);
        Assert.Equal(2, code);
        Assert.Contains("sim bench data-parallel", error);
    }
}
