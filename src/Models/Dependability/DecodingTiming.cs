using System.Diagnostics;
using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>One measured decode: scheme, n, tolerance (s or r), d, median thread CPU seconds.</summary>
public sealed record DecodingPoint(string Scheme, int Workers, int Tolerance, int Dimension, double Seconds);

/// <summary>
/// Times the real C# decoders (<see cref="GradientCode.Decode"/> with the survivors' decoding weights
/// solved every time, as a master must when it learns who survived; <see cref="ReplicationCode.Decode"/>)
/// on this machine, as <see cref="AggregatorTiming"/> times the aggregators: N(1, 1) messages, one
/// warm-up, median of <c>repetitions</c> thread-CPU-timed decodes. The survivors are the first n - s
/// workers. Output of `dotnet run --project bench/Sim.Bench -- decoding` becomes <see cref="MeasuredDecodingTimings"/>.
/// </summary>
public static class DecodingTiming
{
    public static DecodingPoint Measure(string scheme, int n, int tolerance, int d, int repetitions = 3, ulong seed = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(repetitions, 1);
        var messages = new GradientMatrix(n, d);
        var noise = new GaussianNoise(new AttackOptions { Workers = n, Dimension = d, Sigma = 1 });
        noise.Apply(messages, Enumerable.Range(0, n).ToArray(), [], new RandomStream(seed, "timing"));
        var output = new float[d];
        Action decode;
        if (scheme == "replication")
        {
            var code = new ReplicationCode(n, tolerance);
            // Replicas of a group send identical bits.
            for (int i = 0; i < n; i++) messages.Row(i - i % tolerance).CopyTo(messages.Row(i));
            var received = Enumerable.Repeat(true, n).ToArray();
            decode = () => code.Decode(messages, received, output);
        }
        else
        {
            GradientCode code = scheme == "cyclic" ? new CyclicRepetitionCode(n, tolerance, new RandomStream(seed, "timing.code")) : new FractionalRepetitionCode(n, tolerance);
            var survivors = Enumerable.Range(0, n - tolerance).ToArray();
            decode = () => code.Decode(messages, survivors, output);
        }
        decode();
        var cpu = new double[repetitions];
        for (int r = 0; r < repetitions; r++)
        {
            double start = ThreadCpuClock.Now();
            decode();
            cpu[r] = ThreadCpuClock.Now() - start;
        }
        Array.Sort(cpu);
        return new DecodingPoint(scheme, n, tolerance, d, cpu[repetitions / 2]);
    }
}
