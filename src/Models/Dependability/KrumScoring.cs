namespace Sim.Models.Dependability;

/// <summary>
/// Krum's score (Blanchard et al., "Machine Learning with Adversaries: Byzantine Tolerant Gradient
/// Descent", NeurIPS 2017): for each candidate i, the sum of squared distances to its r - f - 2
/// nearest other candidates, where r is the number of candidates. Shared by Krum, Multi-Krum and
/// Bulyan's selection phase, all of which work from one pairwise distance matrix.
/// </summary>
internal sealed class KrumScoring
{
    private readonly double[] _row;
    private readonly double[] _scores;

    public KrumScoring(int n)
    {
        _row = new double[n];
        _scores = new double[n];
    }

    /// <summary>Scores of the candidates (active[i] true), written to <see cref="Scores"/>; inactive
    /// entries are +infinity. The neighbour count r - f - 2 is clamped at 0, which only happens in
    /// Bulyan's last selections.</summary>
    public void Score(ReadOnlySpan<double> distances, ReadOnlySpan<bool> active, int f)
    {
        int n = active.Length;
        int r = 0;
        for (int i = 0; i < n; i++) if (active[i]) r++;
        int neighbours = Math.Max(0, r - f - 2);
        for (int i = 0; i < n; i++)
        {
            if (!active[i]) { _scores[i] = double.PositiveInfinity; continue; }
            int k = 0;
            for (int j = 0; j < n; j++) if (j != i && active[j]) _row[k++] = distances[i * n + j];
            var others = _row.AsSpan(0, k);
            others.Sort();
            double s = 0;
            for (int j = 0; j < neighbours; j++) s += others[j];
            _scores[i] = s;
        }
    }

    public ReadOnlySpan<double> Scores => _scores;

    /// <summary>The active candidate with the lowest score; ties go to the lowest index.</summary>
    public int Best(ReadOnlySpan<bool> active)
    {
        int best = -1;
        for (int i = 0; i < active.Length; i++)
            if (active[i] && (best < 0 || _scores[i] < _scores[best])) best = i;
        return best;
    }
}
