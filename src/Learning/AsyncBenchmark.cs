using Sim.Models.Faults;
using Sim.Models.Learning.Data;
using Sim.Models.Learning.Loop;

namespace Sim.Learning;

/// <summary>
/// The standard training-in-the-loop benchmark: asynchronous parameter-server SGD with many simulated
/// workers, every update a real TorchSharp gradient of a small MLP (16-32-32-8, 1,928 parameters, batch 16)
/// applied to the exact version the worker read. Reports wall time, updates per second, the peak number of
/// live parameter snapshots and the process's peak working set.
/// </summary>
public static class AsyncBenchmark
{
    public sealed record Result(int Workers, long Updates, double WallSeconds, int PeakLiveVersions, long SnapshotBytes, double MeanStaleness, double FinalAccuracy, long PeakWorkingSetBytes)
    {
        public double UpdatesPerSecond => Updates / WallSeconds;
    }

    /// <summary>Median wall seconds of one real gradient of the benchmark MLP at <paramref name="batch"/>
    /// examples on this machine (one torch thread, after warm-up): the microbenchmark behind the
    /// seconds_per_example and step_overhead_s of the shipped tta-* scenarios.</summary>
    public static double StepSeconds(int batch, int repeats = 200)
    {
        var data = new GaussianBlobs(features: 16, classes: 8, train: 8192, test: 1024, separation: 0.6, seed: 7);
        using var mlp = new TorchMlp(data, hidden: 32);
        var x = new float[mlp.ParameterCount];
        var g = new float[mlp.ParameterCount];
        mlp.Initialise(x, 1);
        var examples = Enumerable.Range(0, batch).Select(i => i % data.TrainCount).ToArray();
        for (int i = 0; i < 20; i++) mlp.Gradient(x, examples, g);
        var times = new double[repeats];
        for (int r = 0; r < repeats; r++)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            mlp.Gradient(x, examples, g);
            times[r] = System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }

    public static Result Run(int workers = 1000, long updates = 10_000, ulong seed = 1)
    {
        var data = new GaussianBlobs(features: 16, classes: 8, train: 8192, test: 1024, separation: 0.6, seed: 7);
        using var mlp = new TorchMlp(data, hidden: 32);
        var config = new LoopConfig
        {
            Model = mlp, Workers = workers, Batch = 16, LearningRate = 0.02, MaxUpdates = updates, EvaluateEvery = 2_000, Seed = seed,
            StalenessAwareRate = true,
            Timing = new LoopTiming { Stragglers = new StragglerModel { Jitter = new Sim.Core.Randomness.LogNormal(0, 0.2), SlowFraction = 0.1, SlowFactor = 2 } },
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var outcome = new ParameterServerSgd().Run(config);
        double wall = clock.Elapsed.TotalSeconds;
        return new Result(workers, outcome.Updates, wall, outcome.PeakLiveSnapshots, outcome.SnapshotBytes, outcome.MeanStaleness, outcome.Final.Accuracy,
            System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64);
    }
}
