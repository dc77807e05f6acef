namespace Sim.Models.Dependability;

/// <summary>
/// Decoding seconds of a coding scheme, c x <see cref="CodingScheme.DecodeWork"/>, with one c per scheme
/// fitted (least squares on relative error, through the origin: c = sum(W/t) / sum((W/t)^2)) to timings
/// of the real decoders on this machine (<see cref="MeasuredDecodingTimings"/>). The decoding weights'
/// solve (an SVD of n x (n - s), O(n^3)) is inside the timings but not in the work term: it is negligible
/// next to (n - s) d for d in the millions and n up to 64, and extrapolating it beyond is not attempted.
/// </summary>
public sealed class DecodingCostModel
{
    private readonly Dictionary<string, double> _perWork = new();
    private readonly Dictionary<string, (int Workers, long Dimension)> _measured = new();

    public DecodingCostModel(IEnumerable<DecodingPoint> points)
    {
        foreach (var group in points.GroupBy(p => p.Scheme))
        {
            double num = 0, den = 0;
            foreach (var p in group)
            {
                double r = new CodingScheme(p.Scheme, p.Workers, p.Tolerance).DecodeWork(p.Dimension) / p.Seconds;
                num += r;
                den += r * r;
            }
            _perWork[group.Key] = num / den;
            _measured[group.Key] = (group.Max(p => p.Workers), group.Max(p => (long)p.Dimension));
        }
    }

    /// <summary>The model fitted to the committed measurements.</summary>
    public static DecodingCostModel Measured { get; } = new(MeasuredDecodingTimings.Points);

    /// <summary>Fitted seconds per unit of decode work for <paramref name="scheme"/>.</summary>
    public double PerWork(string scheme) => _perWork.TryGetValue(scheme, out var c) ? c
        : throw new DependabilitySettingException("coding.scheme", $"no decoding timings for '{scheme}'");

    public double Seconds(CodingScheme scheme, long d) => PerWork(scheme.Name) * scheme.DecodeWork(d);

    /// <summary>Whether (n, d) lies within the measured sizes.</summary>
    public bool IsMeasured(CodingScheme scheme, long d) => scheme.Workers <= _measured[scheme.Name].Workers && d <= _measured[scheme.Name].Dimension;
}
