using BenchmarkDotNet.Running;

// Network scale workloads (plain stopwatch): dotnet run -c Release --project bench/Sim.Bench -- network
if (args.Length > 0 && args[0] == "network") { Sim.Bench.NetworkScaleBench.Run(); return; }
// Run all: dotnet run -c Release --project bench/Sim.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Sim.Bench.KernelBenchmarks).Assembly).Run(args);
