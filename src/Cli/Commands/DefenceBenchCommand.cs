using System.CommandLine;
using System.Globalization;
using Sim.Models.Dependability;

namespace Sim.Cli.Commands;

/// <summary>
/// <c>sim bench defences</c>: times the robust aggregation kernels on this machine over the sizes that
/// fit (n up to --max-workers, d up to --max-dimension), fits their costs, and prints markdown tables of
/// one step's synchronisation under each defence for n = 8..512 and d = 1M..100M on DGX A100 networking,
/// measured where the sizes were timed and extrapolated by the fitted complexity beyond (marked *), with
/// Krum's measured growth exponent in n. Output goes to docs/benchmarks.md.
/// </summary>
public static class DefenceBenchCommand
{
    public static Command Create()
    {
        var maxWorkers = new Option<int>("--max-workers") { Description = "Largest n timed (8, 16, 32 or 64)", DefaultValueFactory = _ => 64 };
        var maxDimension = new Option<int>("--max-dimension") { Description = "Largest d timed (100000, 300000 or 1000000)", DefaultValueFactory = _ => 1_000_000 };
        var runs = new Option<int>("--runs") { Description = "Timed rounds per point after a warm-up (median reported)", DefaultValueFactory = _ => 3 };
        var command = new Command("defences", "Robust aggregation: kernels timed here, one step's synchronisation per defence for n = 8..512, d = 1M..100M");
        command.Options.Add(maxWorkers);
        command.Options.Add(maxDimension);
        command.Options.Add(runs);
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            int n = parse.GetValue(maxWorkers), d = parse.GetValue(maxDimension), r = parse.GetValue(runs);
            if (n < 8 || n > 64) { stderr.WriteLine($"sim bench defences: --max-workers: expected 8..64, got {n}"); return 2; }
            if (d < 100_000 || d > 1_000_000) { stderr.WriteLine($"sim bench defences: --max-dimension: expected 100000..1000000, got {d}"); return 2; }
            if (r < 1 || r > 100) { stderr.WriteLine($"sim bench defences: --runs: expected 1..100, got {r}"); return 2; }
            var points = DefenceBenchmark.Measure(n, d, r, p => stderr.WriteLine(string.Create(CultureInfo.InvariantCulture, $"timed {p.Rule} n = {p.Workers} d = {p.Dimension}: {p.Seconds * 1e3:F2} ms")));
            var costs = new AggregationCostModel(points);
            var node = HardwarePresets.DgxA100;
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Machine: {Environment.ProcessorCount} logical CPUs, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, thread CPU clock: {ThreadCpuClock.IsThreadCpuTime}; timed n <= {n}, d <= {d:N0}, median of {r}; {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC."));
            stdout.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Krum's measured growth in n: t ~ n^{DefenceBenchmark.KrumExponent(points):F2} (quadratic: 2)."));
            stdout.Write(DefenceBenchmark.SyncTables(costs, 2 * node.NicLatency, 1 / node.NicBandwidth, [8, 16, 32, 64, 128, 256, 512], [1_000_000, 10_000_000, 100_000_000]));
            return 0;
        });
        return command;
    }
}
