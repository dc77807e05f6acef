using BenchmarkDotNet.Running;

// Network scale workloads (plain stopwatch): dotnet run -c Release --project bench/Sim.Bench -- network
if (args.Length > 0 && args[0] == "network") { Sim.Bench.NetworkScaleBench.Run(); return; }
// Aggregation rules over n and d: dotnet run -c Release --project bench/Sim.Bench -- aggregators [maxN] [maxD]
if (args.Length > 0 && args[0] == "aggregators") { Sim.Bench.AggregatorBench.Run(args); return; }
// Gradient-coding and replication decoders over n and d: dotnet run -c Release --project bench/Sim.Bench -- decoding
if (args.Length > 0 && args[0] == "decoding") { Sim.Bench.DecodingBench.Run(); return; }
// Tables of docs/dependability.md from the committed timings: dotnet run -c Release --project bench/Sim.Bench -- defence-table
if (args.Length > 0 && args[0] == "defence-table") { Sim.Bench.DefenceTableBench.Run(); return; }
// Run all: dotnet run -c Release --project bench/Sim.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Sim.Bench.KernelBenchmarks).Assembly).Run(args);
