namespace Sim.Models.Learning;

/// <summary>
/// The simple gradient noise scale B_simple = tr(Σ) / |G|², estimated from the squared norms of gradients
/// measured at two batch sizes (McCandlish et al. 2018, arXiv:1812.06162, appendix A.1). With
/// E|G_B|² = |G|² + tr(Σ)/B, the two unbiased estimates are
/// |G|² ≈ (B_big |G_big|² - B_small |G_small|²) / (B_big - B_small) and
/// tr(Σ) ≈ (|G_small|² - |G_big|²) / (1/B_small - 1/B_big); averaging each over many measurements before
/// taking the ratio keeps the ratio's bias small (the paper's advice).
/// </summary>
/// <remarks>Add pairs measured at the same parameters (e.g. one worker's micro-batch gradient and the
/// averaged gradient of all workers in the same synchronous step). Not thread-safe.</remarks>
public sealed class NoiseScaleEstimator
{
    private readonly double _small, _big;
    private double _sumTrueNormSquared, _sumTrace;
    private int _count;

    /// <exception cref="ArgumentOutOfRangeException">the batches are not positive with small &lt; big.</exception>
    public NoiseScaleEstimator(double smallBatch, double bigBatch)
    {
        if (!(smallBatch > 0) || !(bigBatch > smallBatch))
            throw new ArgumentOutOfRangeException(nameof(bigBatch), $"need 0 < small batch < big batch, got {smallBatch} and {bigBatch}");
        _small = smallBatch;
        _big = bigBatch;
    }

    /// <summary>Adds one measurement: the squared L2 norms of a gradient over a small batch and over a
    /// big batch at the same parameters.</summary>
    public void Add(double smallNormSquared, double bigNormSquared)
    {
        if (!(smallNormSquared >= 0) || !(bigNormSquared >= 0)) throw new ArgumentOutOfRangeException(nameof(smallNormSquared), "squared norms must be non-negative numbers");
        _sumTrueNormSquared += (_big * bigNormSquared - _small * smallNormSquared) / (_big - _small);
        _sumTrace += (smallNormSquared - bigNormSquared) / (1 / _small - 1 / _big);
        _count++;
    }

    /// <summary>Measurements added so far.</summary>
    public int Count => _count;

    /// <summary>Mean estimate of |G|², the squared norm of the true gradient.</summary>
    public double TrueGradientNormSquared => _count == 0 ? double.NaN : _sumTrueNormSquared / _count;

    /// <summary>Mean estimate of tr(Σ), the per-example gradient variance summed over parameters.</summary>
    public double Trace => _count == 0 ? double.NaN : _sumTrace / _count;

    /// <summary>B_simple = tr(Σ)/|G|²; NaN before the first measurement or when |G|² is estimated at or
    /// below zero (too few measurements for so noisy a gradient).</summary>
    public double NoiseScale => _count == 0 || !(TrueGradientNormSquared > 0) ? double.NaN : Trace / TrueGradientNormSquared;
}
