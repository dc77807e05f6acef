namespace Sim.Calibration.Fitting;

/// <summary>
/// How far predictions land from measurements, like the spread of darts around the bull's eye,
/// measured as relative error |predicted - measured| / measured.
/// </summary>
public static class FitError
{
    public static double Relative(double predicted, double measured) => Math.Abs(predicted - measured) / measured;

    /// <summary>Median of the relative errors; robust to one noisy point on a shared machine.</summary>
    public static double MedianRelative(IEnumerable<(double predicted, double measured)> pairs)
    {
        var errors = pairs.Select(p => Relative(p.predicted, p.measured)).ToArray();
        if (errors.Length == 0) throw new ArgumentException("no points to compare", nameof(pairs));
        return MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(errors);
    }
}
