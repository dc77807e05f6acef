using System.Diagnostics;
using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>One measured aggregation: rule, shape, median time of a round, and for iterative
/// rules (geometric median) the iterations that round took.
/// Seconds: median thread CPU seconds of a round (wall seconds where thread CPU time is unavailable);
/// WallSeconds: median wall seconds of a round (0 when not recorded).</summary>
public sealed record TimingPoint(string Rule, int Workers, int Dimension, double Seconds, int Iterations = 1, double WallSeconds = 0);

/// <summary>
/// Times the real C# aggregation kernels on this machine: gradients of N(1, 1) coordinates (honest-
/// looking data: Weiszfeld's iteration count depends on the spread), one warm-up round (JIT, caches,
/// first-touch page faults), then the median of <c>repetitions</c> rounds, each timed by the thread's
/// CPU time (<see cref="ThreadCpuClock"/>: a shared machine's wait for a core is not the kernel's
/// cost) and by wall time. Single-threaded, like the implementations. Used by the bench (`dotnet run --project bench/Sim.Bench
/// -- aggregators`) whose output becomes <see cref="MeasuredAggregatorTimings"/>.
/// </summary>
public static class AggregatorTiming
{
    /// <summary>f assumed for timing: the largest f every rule accepts at n (Bulyan's n >= 4f + 3 is the
    /// tightest), at least 1 where n allows it. Krum's and the median's cost do not depend on f;
    /// Bulyan's selection does (n - 2f Krum passes).</summary>
    public static int ByzantineFor(int n) => Math.Max(0, (n - 3) / 4);

    public static TimingPoint Measure(string rule, int n, int d, int repetitions = 3, ulong seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var x = new GradientMatrix(n, d);
        var noise = new GaussianNoise(new AttackOptions { Workers = n, Dimension = d, Sigma = 1 });
        var all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        noise.Apply(x, all, [], new RandomStream(seed, "timing"));
        foreach (ref float v in x.All) v += 1f;
        var options = new AggregatorOptions { Workers = n, Dimension = d, Byzantine = ByzantineFor(n), ClippingRadius = 1, BucketSize = 2 };
        Action round;
        Func<int> iterations = () => 1;
        var output = new float[d];
        if (AggregatorRegistry.PreAggregators.Any(p => p.Name == rule))
        {
            var pre = AggregatorRegistry.CreatePreAggregator(rule, options, new RandomStream(seed, "timing.pre"));
            round = () => pre.Apply(x);
        }
        else
        {
            var a = AggregatorRegistry.Create(rule, options);
            round = () => a.Aggregate(x, output);
            if (a is GeometricMedian gm) iterations = () => gm.LastIterations;
        }
        round();
        var cpu = new double[repetitions];
        var wall = new double[repetitions];
        var its = new int[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            var sw = Stopwatch.StartNew();
            double start = ThreadCpuClock.Now();
            round();
            cpu[r] = ThreadCpuClock.Now() - start;
            wall[r] = sw.Elapsed.TotalSeconds;
            its[r] = iterations();
        }
        Array.Sort(cpu);
        Array.Sort(wall);
        Array.Sort(its);
        return new TimingPoint(rule, n, d, cpu[repetitions / 2], its[repetitions / 2], wall[repetitions / 2]);
    }
}
