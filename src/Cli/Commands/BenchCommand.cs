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
        kernel.SetAction(parse => RunKernel(parse.GetValue(runs), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        bench.Subcommands.Add(kernel);

        var gpus = new Option<string>("--gpus") { Description = "Comma-separated GPU counts (multiples of 8)", DefaultValueFactory = _ => "10000,100000" };
        var iterations = new Option<int>("--iterations") { Description = "Iterations per run", DefaultValueFactory = _ => 100 };
        var heavyRuns = new Option<int>("--runs") { Description = "Warmed-up runs per size (median reported)", DefaultValueFactory = _ => 1 };
        var dp = new Command("data-parallel", "ResNet-50 synchronous data parallel with jitter on the flow-level network, at scale");
        dp.Options.Add(gpus);
        dp.Options.Add(iterations);
        dp.Options.Add(heavyRuns);
        dp.SetAction(parse => RunDataParallel(parse.GetValue(gpus)!, parse.GetValue(iterations), parse.GetValue(heavyRuns), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        bench.Subcommands.Add(dp);

        var pipeline = new Command("pipeline", "One iteration of GPT-3 175B on 10,240 GPUs (TP 8, PP 16, DP 80, interleaved 1F1B)");
        pipeline.Options.Add(runs);
        pipeline.SetAction(parse => RunPipeline(parse.GetValue(runs), parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        bench.Subcommands.Add(pipeline);

        var network = new Command("network", "Flow-level network: 100 MB ring all-reduce over 100,000 GPUs; 1k/10k/100k concurrent flows");
        network.Options.Add(runs);
        network.SetAction(parse =>
        {
            var results = new List<BenchHarness.Measurement>();
            foreach (var (name, unit, run) in Sim.Models.Network.NetworkBenchmarks.Workloads())
            {
                results.Add(BenchHarness.Measure(name, unit, run, parse.GetValue(runs)));
                parse.InvocationConfiguration.Error.WriteLine($"done: {name}");
            }
            BenchTable.Print(results, parse.InvocationConfiguration.Output);
            return 0;
        });
        bench.Subcommands.Add(network);

        var federated = new Command("federated", "1,000,000 clients, 1,000 per round, 1,000 rounds (sync FedAvg and FedBuff)");
        federated.SetAction(parse =>
        {
            Sim.Models.Federated.FederatedBenchmarks.Print(Sim.Models.Federated.FederatedBenchmarks.RunStandard(), parse.InvocationConfiguration.Output);
            return 0;
        });
        bench.Subcommands.Add(federated);
        bench.Subcommands.Add(LearnCommand.CreateBench());
        bench.Subcommands.Add(DefenceBenchCommand.Create());

        var clusterJobs = new Option<int>("--jobs") { Description = "Jobs in the stream", DefaultValueFactory = _ => 100_000 };
        var cluster = new Command("cluster", "100,000 jobs on 4,096 GPUs over a simulated month, Tiresias, ring contention on the fabric (and without)");
        cluster.Options.Add(clusterJobs);
        cluster.SetAction(parse =>
        {
            int n = parse.GetValue(clusterJobs);
            if (n < 1) { parse.InvocationConfiguration.Error.WriteLine("sim bench cluster: --jobs must be >= 1"); return 2; }
            Sim.Models.Cluster.ClusterBenchmarks.Print([Sim.Models.Cluster.ClusterBenchmarks.Run(HardwarePresets.DgxA100, n, contention: true), Sim.Models.Cluster.ClusterBenchmarks.Run(HardwarePresets.DgxA100, n, contention: false)],
                parse.InvocationConfiguration.Output);
            return 0;
        });
        bench.Subcommands.Add(cluster);
        return bench;
    }

    private static int RunDataParallel(string gpuList, int iterations, int runs, TextWriter stdout, TextWriter stderr)
    {
        var sizes = new List<int>();
        foreach (var part in gpuList.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, out int g) || g < 8 || g % 8 != 0) { stderr.WriteLine($"sim bench data-parallel: --gpus: expected multiples of 8, got '{part}'"); return 2; }
            sizes.Add(g);
        }
        if (iterations < 1 || runs < 0) { stderr.WriteLine("sim bench data-parallel: --iterations must be >= 1 and --runs >= 0"); return 2; }
        var results = new List<BenchHarness.Measurement>();
        foreach (int g in sizes)
        {
            var scenario = Sim.Scenarios.Training.TrainingScenario.Parse($$"""
                name: bench-dp-{{g}}
                cluster: {preset: dgx-a100, nodes: {{g / 8}}}
                network: {backend: flow, collective: ring}
                model: {zoo: resnet50}
                compute: {precision: fp16}
                training: {mode: data_parallel, micro_batch: 64, iterations: {{iterations}}}
                stragglers: {jitter: "lognormal(0, 0.05)"}
                """, "bench");
            results.Add(BenchHarness.Measure($"ResNet-50 DP, {g:N0} GPUs x {iterations} iterations, flow network", "transfers", () =>
            {
                var r = Sim.Scenarios.Training.ScenarioRunner.RunOnce(scenario, 1);
                return (r.NetworkTransfers, $"iteration {r.MeanIterationTime * 1e3:F1} ms, {r.SamplesPerSecond:N0} samples/s, {r.KernelEvents:N0} kernel events");
            }, runs));
            stderr.WriteLine($"done: {g:N0} GPUs");
        }
        BenchTable.Print(results, stdout);
        return 0;
    }

    private static int RunPipeline(int runs, TextWriter stdout, TextWriter stderr)
    {
        var results = new List<BenchHarness.Measurement>();
        foreach (bool all in new[] { false, true })
            results.Add(BenchHarness.Measure($"GPT-3 175B, 10,240 GPUs, one iteration{(all ? ", all 80 replicas' p2p on the network" : "")}", "events", () =>
            {
                var o = Sim.Models.Training.Pipeline.PipelineBenchmarks.Gpt3_175B_10240Gpus(HardwarePresets.DgxA100, allReplicaTraffic: all);
                return (o.Events, $"iteration {o.Result.Training.MeanIterationTime:F2} s, MFU {o.Result.Training.Mfu:P1}, bubble {o.Result.BubbleFraction:P1}");
            }, runs));
        BenchTable.Print(results, stdout);
        return 0;
    }

    private static int RunKernel(int runs, TextWriter stdout, TextWriter stderr)
    {
        if (runs < 0) { stderr.WriteLine("sim bench kernel: --runs must be >= 0"); return 2; }
        var results = new List<BenchHarness.Measurement>();
        void Add(BenchHarness.Measurement m)
        {
            results.Add(m);
            stderr.WriteLine($"done: {m.Name}");
        }

        Add(BenchHarness.Measure("(a) M/M/1 rho=0.9, 1,000,000 customers as processes", "customers", () =>
        {
            var r = QueueingStation.Run(42, 0.9, new Exponential(1.0), 1, 1_000_000);
            return (r.Customers, $"mean response {r.MeanResponse:F3} (analytic 10), {r.Events:N0} kernel events");
        }, runs));
        foreach (bool newTimeouts in new[] { false, true })
            foreach (int procs in new[] { 10, 1_000, 10_000, 100_000 })
            {
                int loops = 1_000_000 / procs;
                string how = newTimeouts ? "new Timeout per wait" : "sim.Sleep";
                Add(BenchHarness.Measure($"(b) timeout storm, {procs:N0} processes x {loops:N0}, {how}", "timeouts", () =>
                {
                    var sim = KernelWorkloads.TimeoutStorm(procs, loops, newTimeouts: newTimeouts);
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

        BenchTable.Print(results, stdout);
        stdout.WriteLine($"runs: 1 first (fresh process, JIT included) + {runs} warmed-up (median); machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        return 0;
    }
}
