using Sim.Models.Hardware;

namespace Sim.Models.Compute;

/// <summary>
/// Time of one tensor-core matrix multiply C[m x n] = A[m x k] B[k x n] on a GPU, from its shape:
/// the output is cut into tiles, one thread block per tile; the SMs run one tile each at a time, so
/// the tiles execute in waves of SM-count tiles, and a partly filled last wave takes as long as a
/// full one (wave quantization, NVIDIA "Matrix Multiplication Background User's Guide"). Tiles that
/// overhang the matrix edge still cost a whole tile (tile quantization). A full wave runs at the
/// fraction of peak the best-shape microbenchmark shows, slowed to the clock a GPU held at its power
/// limit sustains (<see cref="GpuKernelFacts.SustainedClockFraction"/>); the library picks the tile
/// shape that finishes first. Small or skinny GEMMs are bounded below by moving their operands through HBM.
/// Like loading trucks of fixed size onto a fixed number of ferries: one crate too many costs a
/// whole extra crossing.
/// </summary>
public static class GemmCost
{
    /// <summary>
    /// Seconds for an m x n x k GEMM (2mnk FLOPs) at <paramref name="peakFlops"/>, operands of
    /// <paramref name="bytesPerElement"/> bytes, plus one kernel overhead. Zero-sized GEMMs cost nothing.
    /// </summary>
    public static double Seconds(double m, double n, double k, GpuKernelFacts facts, double peakFlops, double memoryBandwidth, double bytesPerElement, double count = 1)
    {
        if (m <= 0 || n <= 0 || k <= 0 || count <= 0) return 0;
        double compute = ComputeSeconds(m, n, k, facts, peakFlops, count);
        double traffic = count * (m * k + k * n + m * n) * bytesPerElement / (memoryBandwidth * facts.MemoryEfficiency);
        return Math.Max(compute, traffic) + facts.KernelOverheadSeconds;
    }

    /// <summary>
    /// The tensor-core part alone: min over tile shapes of waves x (time of one tile on one SM), where
    /// waves = ceil(count ceil(m / rows) ceil(n / cols) / SMs) and one tile of 2 rows cols k FLOPs runs
    /// at peak / SMs x the GEMM efficiency x the sustained clock fraction. <paramref name="count"/>
    /// independent products of a batched GEMM share the waves.
    /// </summary>
    public static double ComputeSeconds(double m, double n, double k, GpuKernelFacts facts, double peakFlops, double count = 1)
    {
        double perSm = peakFlops / facts.StreamingMultiprocessors * facts.GemmEfficiency * facts.SustainedClockFraction;
        double best = double.PositiveInfinity;
        foreach (var (rows, cols) in facts.GemmTiles)
        {
            double tiles = count * Math.Ceiling(m / rows) * Math.Ceiling(n / cols);
            double waves = Math.Ceiling(tiles / facts.StreamingMultiprocessors);
            best = Math.Min(best, waves * 2.0 * rows * cols * k / perSm);
        }
        return best;
    }
}
