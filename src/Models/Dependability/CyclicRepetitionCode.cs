using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>
/// Tandon et al.'s cyclic scheme (ICML 2017, Algorithm 2): worker i computes partitions i, i+1, ...,
/// i+s (mod n), for any s &lt; n. B is built so that all its rows lie in the null space of a random
/// s x n matrix H whose columns sum to zero (so H 1 = 0): row i has B[i, i] = 1 and its other s
/// support entries solve H b_i = 0. With probability 1 any n - s rows are independent, span that
/// (n - s)-dimensional null space, and therefore contain 1. H is drawn from a seeded stream.
/// </summary>
public sealed class CyclicRepetitionCode : GradientCode
{
    public CyclicRepetitionCode(int workers, int stragglers, RandomStream rng, string keyPath = "coding")
        : base(workers, stragglers, keyPath)
    {
        int n = workers, s = stragglers;
        if (s == 0)
        {
            for (int i = 0; i < n; i++) Encoding[i, i] = 1;
            return;
        }
        var h = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(s, n);
        for (int r = 0; r < s; r++)
        {
            double sum = 0;
            for (int c = 0; c < n - 1; c++) { h[r, c] = rng.NextDouble() * 2 - 1; sum += h[r, c]; }
            h[r, n - 1] = -sum;
        }
        for (int i = 0; i < n; i++)
        {
            // Solve H[:, support \ {i}] x = -H[:, i] for the s other coefficients.
            var sub = MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(s, s);
            for (int k = 1; k <= s; k++)
                for (int r = 0; r < s; r++) sub[r, k - 1] = h[r, (i + k) % n];
            var rhs = -h.Column(i);
            var x = sub.Solve(rhs);
            Encoding[i, i] = 1;
            for (int k = 1; k <= s; k++) Encoding[i, (i + k) % n] = x[k - 1];
        }
    }
}
