using System.CommandLine;
using Sim.Cli.Benchmarking;
using Sim.Core.Randomness;
using Sim.Core.Samples;

namespace Sim.Cli.Commands;

/// <summary><c>sim bench ...</c>: whole-workload benchmarks that print throughput, wall time and memory.</summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Benchmarks: events/s, wall time and peak memory");
        var runs = new Option<int>("--runs") { Description = "Warmed-up runs per workload (median is reported)", DefaultValueFactory = _ => 5 };
        var kernel = new Command("kernel", "The event kernel on three standard workloads: M/M/1, timeout storm, barrier");
        kernel.Options.Add(runs);
        kernel.SetAction(parse => RunKernel(parse.GetValue(runs)));
        bench.Subcommands.Add(kernel);
        return bench;
    }

    private static int RunKernel(int runs)
    {
        if (runs < 0) { Console.Error.WriteLine("sim bench kernel: --runs must be >= 0"); return 2; }
        var results = new List<BenchHarness.Measurement>();
        void Add(BenchHarness.Measurement m)
        {
            results.Add(m);
            Console.Error.WriteLine($"done: {m.Name}");
        }

        Add(BenchHarness.Measure("(a) M/M/1 rho=0.9, 1,000,000 customers as processes", "customers", () =>
        {
            var r = QueueingStation.Run(42, 0.9, new Exponential(1.0), 1, 1_000_000);
            return (r.Customers, $"mean response {r.MeanResponse:F3} (analytic 10), {r.Events:N0} kernel events");
        }, runs));
        foreach (int procs in new[] { 10, 1_000, 10_000, 100_000 })
        {
            int loops = 1_000_000 / procs;
            Add(BenchHarness.Measure($"(b) timeout storm, {procs:N0} processes x {loops:N0}", "timeouts", () =>
            {
                var sim = KernelWorkloads.TimeoutStorm(procs, loops);
                return ((long)procs * loops, $"{sim.EventsProcessed:N0} kernel events");
            }, runs));
        }
        foreach (int actors in new[] { 10, 10_000, 100_000 })
        {
            int loops = 1_000_000 / actors;
            Add(BenchHarness.Measure($"(b') callback storm, {actors:N0} actors x {loops:N0}", "timeouts", () =>
            {
                var sim = KernelWorkloads.CallbackStorm(actors, loops);
                return (sim.EventsProcessed, null);
            }, runs));
        }
        Add(BenchHarness.Measure("(c) barrier, 1,024 workers x 100 iterations, lognormal(0, 0.25)", "worker-iterations", () =>
        {
            var sim = KernelWorkloads.BarrierWorkload(1024, 100, new LogNormal(0, 0.25));
            return (1024L * 100, $"end time {sim.Now:F2} s simulated");
        }, runs));

        BenchTable.Print(results);
        Console.WriteLine($"runs: 1 first (fresh process, JIT included) + {runs} warmed-up (median); machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        return 0;
    }
}
