using System.Globalization;
using System.Text;
using Sim.Models.Dependability;
using Sim.Models.Hardware;

namespace Sim.Bench;

/// <summary>
/// Prints the markdown tables of docs/dependability.md from the committed timings
/// (MeasuredAggregatorTimings): the fitted cost coefficients, Krum's growth exponent in n, the check of
/// Bulyan's composed cost against its own timings, and the synchronisation time of one step under each
/// defence for n = 8..512 and d = 1M..100M on DGX A100 networking.
/// Usage: dotnet run -c Release --project bench/Sim.Bench -- defence-table
/// </summary>
public static class DefenceTableBench
{
    private static string F(double v) => v.ToString("g3", CultureInfo.InvariantCulture);

    public static void Run()
    {
        var model = AggregationCostModel.Measured;
        var points = MeasuredAggregatorTimings.Points;
        var sb = new StringBuilder();

        sb.AppendLine("| rule | work W(n, d) | c0 (ms) | c1 (ns per unit of W) | points | max relative error of the fit |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var c in model.Fits.OrderBy(c => c.Rule, StringComparer.Ordinal))
        {
            string complexity = AggregatorRegistry.Aggregators.FirstOrDefault(a => a.Name == c.Rule)?.Complexity
                ?? AggregatorRegistry.PreAggregators.First(a => a.Name == c.Rule).Complexity;
            string iterations = c.MeanIterations > 1 ? $" x I (mean I = {F(c.MeanIterations)})" : "";
            sb.AppendLine($"| {c.Rule} | {complexity}{iterations} | {F(c.Fixed * 1e3)} | {F(c.PerWork * 1e9)} | {c.Points} | {F(c.MaxRelativeError * 100)}% |");
        }

        sb.AppendLine();
        int maxD = points.Where(p => p.Rule == "krum").Max(p => p.Dimension);
        var krum = points.Where(p => p.Rule == "krum" && p.Dimension == maxD).OrderBy(p => p.Workers).ToArray();
        double slope = DefenceBenchmark.KrumExponent(points);
        sb.AppendLine($"Krum at d = {maxD:N0}: " + string.Join(", ", krum.Select(p => $"n = {p.Workers}: {F(p.Seconds * 1e3)} ms")) +
            $"; least-squares slope of log t against log n = {slope:F2} (quadratic: 2).");

        sb.AppendLine();
        sb.AppendLine("| Bulyan n | d | measured (ms) | krum(n) + median(n - 2f) (ms) | ratio |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var p in points.Where(p => p.Rule == "bulyan"))
        {
            double composed = model.Seconds("bulyan", p.Workers, p.Dimension);
            sb.AppendLine($"| {p.Workers} | {p.Dimension:N0} | {F(p.Seconds * 1e3)} | {F(composed * 1e3)} | {F(composed / p.Seconds)} |");
        }

        var node = HardwarePresets.DgxA100;
        sb.Append(DefenceBenchmark.SyncTables(model, 2 * node.NicLatency, 1 / node.NicBandwidth, [8, 16, 32, 64, 128, 256, 512], [1_000_000, 10_000_000, 100_000_000]));
        StragglerTable(sb);
        Console.Write(sb.ToString());
    }

    /// <summary>Mean step compute time, in units of one worker's plain step, under the straggler setting of
    /// scenarios/dp-stragglers-backup-workers.yaml (lognormal(0, 0.08) jitter, 2% of workers 1.5x slow) and
    /// a heavier one (lognormal(0, 0.3), 5% 3x slow); 2,000 steps, seed 1.</summary>
    private static void StragglerTable(StringBuilder sb)
    {
        (string Name, Sim.Models.Faults.StragglerModel Model)[] settings =
        [
            ("lognormal(0, 0.08) jitter, 2% of workers 1.5x slow", new() { Jitter = new Sim.Core.Randomness.LogNormal(0, 0.08), SlowFraction = 0.02, SlowFactor = 1.5 }),
            ("lognormal(0, 0.3) jitter, 5% of workers 3x slow", new() { Jitter = new Sim.Core.Randomness.LogNormal(0, 0.3), SlowFraction = 0.05, SlowFactor = 3 }),
        ];
        int[] ns = [15, 63, 255];
        foreach (var (name, model) in settings)
        {
            sb.AppendLine();
            sb.AppendLine($"Step compute time under stragglers ({name}), mean of 2,000 steps in units of a plain worker step; exact = the full gradient.");
            sb.AppendLine();
            sb.AppendLine("| scheme | exact | " + string.Join(" | ", ns.Select(n => $"n = {n}")) + " |");
            sb.AppendLine("|---|---|" + string.Concat(ns.Select(_ => "---|")));
            var schemes = new List<Func<int, StragglerMitigation>>
            {
                _ => StragglerMitigation.None,
                _ => StragglerMitigation.BackupWorkers(1),
                _ => StragglerMitigation.BackupWorkers(4),
                n => StragglerMitigation.Coding(new CyclicRepetitionCode(n, 1, new Sim.Core.Randomness.RandomStream(1))),
                n => StragglerMitigation.Coding(new CyclicRepetitionCode(n, 4, new Sim.Core.Randomness.RandomStream(1))),
                n => StragglerMitigation.Replication(new ReplicationCode(n, 3)),
            };
            foreach (var make in schemes)
            {
                var first = make(ns[0]);
                sb.Append($"| {first.Name} | {(first.ExactGradient ? "yes" : "no")} |");
                foreach (int n in ns)
                {
                    var sim = new Sim.Core.Simulation(1);
                    var state = new Sim.Models.Faults.StragglerState(sim, model, n);
                    var scheme = make(n);
                    double sum = 0;
                    for (int i = 0; i < 2000; i++) sum += scheme.ComputeSeconds(state, 0, 1);
                    sb.Append($" {F(sum / 2000)} |");
                }
                sb.AppendLine();
            }
        }
    }
}
