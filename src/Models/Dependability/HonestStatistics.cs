namespace Sim.Models.Dependability;

/// <summary>Coordinate-wise mean and population standard deviation of the honest rows, in buffers
/// owned by the attack (two passes in double per coordinate; O(h d)).</summary>
internal sealed class HonestStatistics(int dimension)
{
    public float[] Mean { get; } = new float[dimension];
    public float[] Std { get; } = new float[dimension];
    private readonly double[] _sum = new double[dimension];
    private readonly double[] _sumSq = new double[dimension];

    public void Compute(GradientMatrix g, ReadOnlySpan<int> honest, bool withStd)
    {
        Array.Clear(_sum);
        foreach (int r in honest)
        {
            var row = g.Row(r);
            for (int j = 0; j < row.Length; j++) _sum[j] += row[j];
        }
        double h = honest.Length;
        for (int j = 0; j < _sum.Length; j++) Mean[j] = (float)(_sum[j] / h);
        if (!withStd) return;
        Array.Clear(_sumSq);
        foreach (int r in honest)
        {
            var row = g.Row(r);
            for (int j = 0; j < row.Length; j++)
            {
                double dev = row[j] - _sum[j] / h;
                _sumSq[j] += dev * dev;
            }
        }
        for (int j = 0; j < _sumSq.Length; j++) Std[j] = (float)Math.Sqrt(_sumSq[j] / h);
    }
}
