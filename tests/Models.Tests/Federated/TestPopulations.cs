using Sim.Models.Federated;

namespace Sim.Models.Tests.Federated;

/// <summary>Small hand-made populations for oracle tests.</summary>
internal static class TestPopulations
{
    /// <summary>Always-online clients with heterogeneous, seeded device columns.</summary>
    public static ClientPopulation Heterogeneous(int n, int seed, int[]? offsets = null, double[]? begin = null, double[]? end = null, double period = 0)
    {
        var rng = new Random(seed);
        var sps = new float[n];
        var up = new float[n];
        var down = new float[n];
        var samples = new int[n];
        for (int i = 0; i < n; i++)
        {
            sps[i] = (float)(0.01 + 0.2 * rng.NextDouble());
            down[i] = (float)(1e6 + 1e7 * rng.NextDouble());
            up[i] = (float)(2e5 + 2e6 * rng.NextDouble());
            samples[i] = 10 + rng.Next(500);
        }
        return new ClientPopulation(sps, up, down, samples, offsets, begin, end, period);
    }

    /// <summary>Identical clients that train for exactly <paramref name="seconds"/> and move no bytes.</summary>
    public static (float[] Sps, float[] Up, float[] Down, int[] Samples) FixedDuration(int n, float seconds)
    {
        var sps = new float[n];
        Array.Fill(sps, seconds);
        var up = new float[n];
        Array.Fill(up, 1e6f);
        var down = new float[n];
        Array.Fill(down, 1e6f);
        var samples = new int[n];
        Array.Fill(samples, 1);
        return (sps, up, down, samples);
    }
}
