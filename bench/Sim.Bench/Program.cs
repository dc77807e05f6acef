using BenchmarkDotNet.Running;

// Run all: dotnet run -c Release --project bench/Sim.Bench -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Sim.Bench.KernelBenchmarks).Assembly).Run(args);
