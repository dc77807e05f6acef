using BenchmarkDotNet.Attributes;
using Sim.Core;
using Sim.Core.Randomness;
using Sim.Core.Samples;

namespace Sim.Bench;

/// <summary>
/// Micro-benchmarks of the event kernel. The memory diagnoser's "Allocated" column is the proof that
/// the callback path allocates nothing per event: the callback storm's setup (queue and state arrays)
/// is done in IterationSetup, so the measured run must show 0 B.
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private KernelWorkloads.CallbackStormState? _storm;

    [Params(1_000, 100_000)]
    public int Pending;

    [IterationSetup(Target = nameof(CallbackStormRun))]
    public void SetupStorm()
    {
        _storm = new KernelWorkloads.CallbackStormState(new Simulation(1), 1_000_000 / Pending, Pending);
        _storm.Start();
    }

    /// <summary>1,000,000 self-rescheduling callbacks with <see cref="Pending"/> entries in the queue.</summary>
    [Benchmark(OperationsPerInvoke = 1_000_000)]
    public long CallbackStormRun()
    {
        _storm!.Sim.Run();
        return _storm.Sim.EventsProcessed;
    }

    /// <summary>1,000,000 process timeouts with <see cref="Pending"/> processes, a new Timeout per wait.</summary>
    [Benchmark(OperationsPerInvoke = 1_000_000)]
    public long ProcessTimeoutStorm() => KernelWorkloads.TimeoutStorm(Pending, 1_000_000 / Pending, newTimeouts: true).EventsProcessed;

    /// <summary>The same storm with <see cref="Simulation.Sleep"/> (each process's reusable timer):
    /// what is left allocated is the processes themselves.</summary>
    [Benchmark(OperationsPerInvoke = 1_000_000)]
    public long ProcessSleepStorm() => KernelWorkloads.TimeoutStorm(Pending, 1_000_000 / Pending).EventsProcessed;
}
