namespace Sim.Core.Statistics;

/// <summary>
/// A tally sheet of observations (response times, iteration times): running mean and variance by
/// Welford's method, min and max, and percentiles from the kept samples. To bound memory, at most
/// <see cref="MaxKept"/> samples are kept; past that a uniform reservoir sample (Vitter's algorithm R,
/// with its own fixed-seed generator so runs stay deterministic) stands in for percentiles, while
/// mean, variance, min and max stay exact.
/// </summary>
public sealed class Tally
{
    private double[] _kept;
    private int _keptCount;
    private bool _sorted = true;
    private double _mean, _m2;
    private ulong _reservoirState = 0x2545F4914F6CDD1DUL;

    public Tally(int maxKept = 1 << 20)
    {
        if (maxKept < 1) throw new ArgumentOutOfRangeException(nameof(maxKept));
        MaxKept = maxKept;
        _kept = new double[Math.Min(maxKept, 64)];
    }

    public int MaxKept { get; }
    public long Count { get; private set; }
    public double Mean => Count > 0 ? _mean : double.NaN;
    /// <summary>Sample variance (n - 1 in the denominator).</summary>
    public double Variance => Count > 1 ? _m2 / (Count - 1) : double.NaN;
    public double StdDev => Math.Sqrt(Variance);
    public double Min { get; private set; } = double.PositiveInfinity;
    public double Max { get; private set; } = double.NegativeInfinity;
    public double Sum { get; private set; }
    /// <summary>True when percentiles come from every observation, not a reservoir sample.</summary>
    public bool PercentilesExact => Count <= MaxKept;

    public void Add(double x)
    {
        Count++;
        Sum += x;
        double delta = x - _mean;
        _mean += delta / Count;
        _m2 += delta * (x - _mean);
        if (x < Min) Min = x;
        if (x > Max) Max = x;
        if (_keptCount < MaxKept)
        {
            if (_keptCount == _kept.Length) Array.Resize(ref _kept, Math.Min(MaxKept, _kept.Length * 2));
            _kept[_keptCount++] = x;
            _sorted = false;
        }
        else
        {
            ulong j = NextReservoir() % (ulong)Count;
            if (j < (ulong)MaxKept) { _kept[j] = x; _sorted = false; }
        }
    }

    /// <summary>The p-quantile (p in [0, 1]) with linear interpolation between order statistics
    /// (Hyndman and Fan's type 7, the default of R and NumPy).</summary>
    public double Percentile(double p)
    {
        if (!(p >= 0 && p <= 1)) throw new ArgumentOutOfRangeException(nameof(p), p, "must be in [0, 1]");
        if (_keptCount == 0) return double.NaN;
        if (!_sorted) { Array.Sort(_kept, 0, _keptCount); _sorted = true; }
        double h = (_keptCount - 1) * p;
        int lo = (int)Math.Floor(h);
        int hi = Math.Min(lo + 1, _keptCount - 1);
        return _kept[lo] + (h - lo) * (_kept[hi] - _kept[lo]);
    }

    public double P50 => Percentile(0.50);
    public double P90 => Percentile(0.90);
    public double P99 => Percentile(0.99);

    /// <summary>The kept samples (all of them while <see cref="PercentilesExact"/>).</summary>
    public ReadOnlySpan<double> Kept => _kept.AsSpan(0, _keptCount);

    private ulong NextReservoir()
    {
        ulong z = _reservoirState += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    public override string ToString() =>
        Count == 0 ? "n=0" : $"n={Count} mean={Mean:G6} sd={StdDev:G4} p50={P50:G6} p99={P99:G6} min={Min:G6} max={Max:G6}";
}
