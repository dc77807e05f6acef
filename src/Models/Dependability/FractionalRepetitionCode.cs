namespace Sim.Models.Dependability;

/// <summary>
/// Tandon et al.'s fractional repetition scheme (ICML 2017, Sec. 3): the n workers form n / (s + 1)
/// groups of s + 1; all workers of group g compute the same s + 1 partitions and send their plain sum.
/// s stragglers cannot silence a whole group, so the master adds one message per group: decoding
/// weights are 0 and 1, and the decoded sum is exact in floating point. Requires (s + 1) | n.
/// </summary>
public sealed class FractionalRepetitionCode : GradientCode
{
    public FractionalRepetitionCode(int workers, int stragglers, string keyPath = "coding")
        : base(workers, stragglers, keyPath)
    {
        if (workers % (stragglers + 1) != 0)
            throw new DependabilitySettingException($"{keyPath}.stragglers", $"fractional repetition needs s + 1 to divide n, got n = {workers}, s = {stragglers}; use the cyclic scheme");
        for (int i = 0; i < workers; i++)
        {
            int group = i / (stragglers + 1);
            for (int j = group * (stragglers + 1); j < (group + 1) * (stragglers + 1); j++) Encoding[i, j] = 1;
        }
    }

    public override double[] DecodingWeights(ReadOnlySpan<int> survivors)
    {
        if (survivors.Length < Workers - Stragglers)
            throw new InvalidOperationException($"{survivors.Length} survivors cannot decode a code for s = {Stragglers} stragglers among {Workers}; need {Workers - Stragglers}");
        var a = new double[survivors.Length];
        var covered = new bool[Workers / Load];
        for (int k = 0; k < survivors.Length; k++)
        {
            int group = survivors[k] / Load;
            if (!covered[group]) { covered[group] = true; a[k] = 1; }
        }
        for (int g = 0; g < covered.Length; g++)
            if (!covered[g]) throw new InvalidOperationException($"group {g} has no survivor (a bug: n - s survivors always cover every group)");
        return a;
    }
}
