using Sim.Core.Files;

namespace Sim.Core.Randomness;

/// <summary>
/// Replays measured values: each draw picks one of the recorded samples uniformly at random (a
/// bootstrap), so measured step times or device speeds enter the model exactly as observed.
/// </summary>
public sealed class Empirical : IDistribution, IQuantile
{
    private readonly double[] _sorted;

    public Empirical(IEnumerable<double> samples)
    {
        _sorted = samples.ToArray();
        if (_sorted.Length == 0) throw new ArgumentException("an empirical distribution needs at least one sample", nameof(samples));
        foreach (var s in _sorted)
            if (!double.IsFinite(s)) throw new ArgumentException($"empirical samples must be finite numbers, got {s}", nameof(samples));
        Array.Sort(_sorted);
        double mean = 0;
        foreach (var s in _sorted) mean += s;
        mean /= _sorted.Length;
        double v = 0;
        foreach (var s in _sorted) v += (s - mean) * (s - mean);
        Mean = mean;
        Variance = v / _sorted.Length;
    }

    public IReadOnlyList<double> Samples => _sorted;
    public double Mean { get; }
    public double Variance { get; }

    public double Sample(RandomStream rng) => _sorted[(int)rng.NextBounded((ulong)_sorted.Length)];

    /// <summary>The smallest sample whose empirical CDF reaches p (the inverse of the step CDF).</summary>
    public double Quantile(double p) => _sorted[Math.Clamp((int)Math.Ceiling(p * _sorted.Length) - 1, 0, _sorted.Length - 1)];

    public double Cdf(double x)
    {
        int idx = Array.BinarySearch(_sorted, x);
        if (idx >= 0) { while (idx + 1 < _sorted.Length && _sorted[idx + 1] == x) idx++; return (idx + 1.0) / _sorted.Length; }
        return (double)~idx / _sorted.Length;
    }

    /// <summary>Largest samples file read (a few million measured values).</summary>
    public const long MaxFileBytes = 64L << 20;

    /// <summary>Longest line accepted in a samples file.</summary>
    public const int MaxLineChars = 1024;

    /// <summary>Reads one number per line (blank lines and lines starting with # ignored), through
    /// <see cref="InputFile"/>: regular files only, at most <see cref="MaxFileBytes"/> bytes.</summary>
    /// <exception cref="FormatException">a line that is not a finite number, or no samples.</exception>
    /// <exception cref="InputFileException">the file cannot be read as a bounded text file.</exception>
    public static Empirical FromFile(string path)
    {
        var values = new List<double>();
        foreach (var (lineNo, raw) in InputFile.ReadLines(path, MaxFileBytes, MaxLineChars))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            if (!double.TryParse(line, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v))
                throw new FormatException($"{path}:{lineNo}: expected a number, got '{Truncate(line)}'");
            values.Add(v);
        }
        if (values.Count == 0) throw new FormatException($"{path}: no samples found (one number per line expected)");
        return new Empirical(values);
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "...";

    public override string ToString() => $"empirical({string.Join(", ", _sorted.Select(Distributions.Format))})";
}
