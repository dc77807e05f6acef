using System.Numerics;
using System.Runtime.InteropServices;

namespace Sim.Models.Dependability;

/// <summary>
/// The few vector kernels the aggregators share, SIMD over <see cref="Vector{T}"/> and allocation-free.
/// Sums of squares accumulate in float lanes over blocks of <see cref="Block"/> coordinates and then
/// in double, so that 100M-coordinate distances keep about seven significant digits.
/// </summary>
internal static class VectorMath
{
    /// <summary>Coordinates summed in float lanes before the partial sum moves to double: 4096 keeps
    /// the float partial's relative rounding error near 4096 x 2^-24 ~ 2.4e-4 in the worst case.</summary>
    private const int Block = 4096;

    /// <summary>||a - b||^2.</summary>
    public static double SquaredDistance(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length) throw new ArgumentException("vectors differ in length");
        double total = 0;
        for (int start = 0; start < a.Length; start += Block)
        {
            int len = Math.Min(Block, a.Length - start);
            var x = a.Slice(start, len);
            var y = b.Slice(start, len);
            var acc = Vector<float>.Zero;
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
            for (int i = 0; i < vx.Length; i++)
            {
                var diff = vx[i] - vy[i];
                acc += diff * diff;
            }
            double partial = Vector.Sum(acc);
            for (int i = vx.Length * Vector<float>.Count; i < len; i++)
            {
                double diff = x[i] - y[i];
                partial += diff * diff;
            }
            total += partial;
        }
        return total;
    }

    /// <summary>||a||^2.</summary>
    public static double SquaredNorm(ReadOnlySpan<float> a)
    {
        double total = 0;
        for (int start = 0; start < a.Length; start += Block)
        {
            int len = Math.Min(Block, a.Length - start);
            var x = a.Slice(start, len);
            var acc = Vector<float>.Zero;
            var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
            for (int i = 0; i < vx.Length; i++) acc += vx[i] * vx[i];
            double partial = Vector.Sum(acc);
            for (int i = vx.Length * Vector<float>.Count; i < len; i++) partial += (double)x[i] * x[i];
            total += partial;
        }
        return total;
    }

    /// <summary>y += alpha * x.</summary>
    public static void AddScaled(Span<float> y, ReadOnlySpan<float> x, float alpha)
    {
        if (x.Length != y.Length) throw new ArgumentException("vectors differ in length");
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var va = new Vector<float>(alpha);
        for (int i = 0; i < vy.Length; i++) vy[i] += va * vx[i];
        for (int i = vy.Length * Vector<float>.Count; i < y.Length; i++) y[i] += alpha * x[i];
    }

    /// <summary>y *= alpha.</summary>
    public static void Scale(Span<float> y, float alpha)
    {
        var vy = MemoryMarshal.Cast<float, Vector<float>>(y);
        var va = new Vector<float>(alpha);
        for (int i = 0; i < vy.Length; i++) vy[i] *= va;
        for (int i = vy.Length * Vector<float>.Count; i < y.Length; i++) y[i] *= alpha;
    }

    /// <summary>output = mean of the rows named by <paramref name="rows"/>.</summary>
    public static void MeanOf(GradientMatrix inputs, ReadOnlySpan<int> rows, Span<float> output)
    {
        output.Clear();
        foreach (int r in rows) AddScaled(output, inputs.Row(r), 1f);
        Scale(output, 1f / rows.Length);
    }

    /// <summary>Fills <paramref name="distances"/> (n x n, row-major) with squared Euclidean distances
    /// between the rows of <paramref name="inputs"/>: n(n-1)/2 distance kernels of d coordinates each,
    /// the O(n^2 d) term of Krum and Bulyan.</summary>
    public static void PairwiseSquaredDistances(GradientMatrix inputs, Span<double> distances)
    {
        int n = inputs.Count;
        if (distances.Length < n * n) throw new ArgumentException("distance buffer too small");
        for (int i = 0; i < n; i++)
        {
            distances[i * n + i] = 0;
            for (int j = i + 1; j < n; j++)
            {
                double d = SquaredDistance(inputs.Row(i), inputs.Row(j));
                distances[i * n + j] = d;
                distances[j * n + i] = d;
            }
        }
    }
}
