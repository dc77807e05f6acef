using System.Globalization;
using System.Text.RegularExpressions;

namespace Sim.Cli.Tests.Hostile;

/// <summary>
/// The cost estimate and the memory watchdog: the estimate is printed before a run, a real `sim`
/// process stays within ten times it (peak resident set from /proc, as `sim` reports it at the end),
/// and the watchdog speaks up when a run passes ten times its estimate or the budget.
/// </summary>
public sealed class MemoryBudgetTests
{
    private static readonly string Sim = Path.Combine(AppContext.BaseDirectory, "sim");

    private static double Bytes(string number, string unit) =>
        double.Parse(number, CultureInfo.InvariantCulture) * (unit == "GiB" ? 1 << 30 : 1 << 20);

    [Theory]
    [InlineData("training, 2,048 GPUs, flow network", "name: m\ncluster: {preset: dgx-a100, nodes: 256}\nnetwork: {backend: flow, collective: ring}\nmodel: {zoo: resnet50}\ntraining: {mode: data_parallel, micro_batch: 8, iterations: 5}\n")]
    [InlineData("federated, 1,000,000 synthetic clients", "name: f\npopulation:\n  synthetic: {clients: 1000000}\nfederated: {mode: sync, rounds: 10, clients_per_round: 100}\n")]
    [InlineData("training, 100,000 iterations, closed form", "name: i\ncluster: {preset: dgx-a100, nodes: 1}\nnetwork: {backend: closed_form, collective: ring}\nmodel: {zoo: resnet50}\ntraining: {mode: data_parallel, micro_batch: 8, iterations: 100000}\n")]
    public void A_real_run_stays_within_ten_times_its_printed_estimate(string what, string yaml)
    {
        using var ws = new HostileWorkspace();
        using var child = new ChildProcess([Sim], "run", ws.Write("m.yaml", yaml), "--out", ws.Path_("out"));
        Assert.True(child.WaitForExit(TimeSpan.FromMinutes(2)) == 0, child.Output);
        var estimate = Regex.Match(child.Output, @"estimate: ~\S+ events, ~([\d.]+) (MiB|GiB) of memory");
        var peak = Regex.Match(child.Output, @"peak memory: ([\d.]+) (MiB|GiB) \(estimate ([\d.]+) (MiB|GiB)\)");
        Assert.True(estimate.Success && peak.Success, $"{what}: no estimate or peak in the output:\n{child.Output}");
        double peakBytes = Bytes(peak.Groups[1].Value, peak.Groups[2].Value);
        double estimated = Bytes(estimate.Groups[1].Value, estimate.Groups[2].Value);
        Assert.True(peakBytes <= 10 * estimated, $"{what}: peak {peakBytes / 1e6:F0} MB is above ten times the estimate {estimated / 1e6:F0} MB");
        Assert.True(peakBytes <= 8.0 * (1L << 30));
        Assert.DoesNotContain("warning: memory use", child.Output);
    }

    [Fact]
    public void The_watchdog_warns_past_ten_times_the_estimate_and_stops_past_the_budget()
    {
        long resident = 50_000_000;
        var stderr = new StringWriter();
        using var watchdog = new MemoryWatchdog(estimateBytes: 10_000_000, budgetBytes: 1_000_000_000, stderr, report: null, residentBytes: () => resident);
        watchdog.Check();
        Assert.Equal("", stderr.ToString());
        resident = 100_000_001;
        watchdog.Check();
        Assert.Contains("warning: memory use 95 MiB is above ten times the estimate (10 MiB)", stderr.ToString());
        Assert.DoesNotContain("error:", stderr.ToString());
        resident = 1_000_000_001;
        watchdog.Check();
        Assert.Contains("error: memory use 954 MiB passed the budget of 954 MiB", stderr.ToString());
        watchdog.Check();
        Assert.Single(Regex.Matches(stderr.ToString(), "error:")); // said once
    }
}
