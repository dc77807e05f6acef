namespace Sim.Cli.Tests;

/// <summary>`sim bench defences`: a small real run (kernels timed here, tables printed) and bad options.</summary>
public sealed class DefenceBenchCommandTests
{
    [Fact]
    public void Small_run_times_the_kernels_and_prints_every_defence_for_every_size()
    {
        var (code, output, error) = SimCommandLine.Invoke("bench", "defences", "--max-workers", "16", "--max-dimension", "100000", "--runs", "1");
        Assert.True(code == 0, error);
        Assert.Contains("timed krum n = 16 d = 100000", error);
        Assert.Matches(@"Krum's measured growth in n: t ~ n\^[0-9.]+", output);
        Assert.Contains("| n = 8 | n = 16 | n = 32 | n = 64 | n = 128 | n = 256 | n = 512 |", output);
        Assert.Equal(3, output.Split('\n').Count(l => l.StartsWith("| bulyan |", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("--max-workers", "4", "--max-workers: expected 8..64, got 4")]
    [InlineData("--max-dimension", "10", "--max-dimension: expected 100000..1000000, got 10")]
    [InlineData("--runs", "0", "--runs: expected 1..100, got 0")]
    public void Bad_options_exit_2_with_the_option_named(string option, string value, string message)
    {
        var (code, output, error) = SimCommandLine.Invoke("bench", "defences", option, value);
        Assert.Equal(2, code);
        Assert.Contains(message, error);
        Assert.DoesNotContain("   at ", error);
        Assert.Empty(output);
    }
}
