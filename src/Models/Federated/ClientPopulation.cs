namespace Sim.Models.Federated;

/// <summary>
/// A census of phones, kept as columns rather than as one form per person: each property of the
/// client population (compute speed, link rates, data set size, when the device is online) is one
/// flat array indexed by client id. A million clients then cost a few tens of megabytes and no
/// objects, and the simulator touches only the clients it selects.
///
/// Availability is a flattened interval list (CSR layout: client i owns intervals
/// <c>IntervalOffsets[i] .. IntervalOffsets[i+1]-1</c>, sorted, disjoint, half-open [begin, end)).
/// With a positive <see cref="AvailabilityPeriod"/> the pattern repeats (a diurnal trace: the
/// intervals describe one day and time is taken modulo the day). Questions such as "is client i
/// online at t, and until when" are answered lazily by binary search, never by scheduling
/// on/off events for the whole population.
/// </summary>
public sealed class ClientPopulation
{
    private readonly int[]? _offsets;
    private readonly double[]? _begin;
    private readonly double[]? _end;

    /// <param name="secondsPerSample">Local training time per sample per epoch, seconds.</param>
    /// <param name="uplinkBytesPerSecond">Client upload rate, bytes/s.</param>
    /// <param name="downlinkBytesPerSecond">Client download rate, bytes/s.</param>
    /// <param name="samples">Training samples held by the client.</param>
    /// <param name="intervalOffsets">CSR offsets (length count+1), or null when every client is always online.</param>
    /// <param name="intervalBegin">Interval starts, seconds.</param>
    /// <param name="intervalEnd">Interval ends (exclusive), seconds.</param>
    /// <param name="availabilityPeriod">Repeat period of the intervals in seconds (0 = no repetition).</param>
    public ClientPopulation(float[] secondsPerSample, float[] uplinkBytesPerSecond, float[] downlinkBytesPerSecond,
        int[] samples, int[]? intervalOffsets = null, double[]? intervalBegin = null, double[]? intervalEnd = null,
        double availabilityPeriod = 0)
    {
        int n = secondsPerSample.Length;
        if (uplinkBytesPerSecond.Length != n || downlinkBytesPerSecond.Length != n || samples.Length != n)
            throw new ArgumentException("all client columns must have the same length");
        if (!(availabilityPeriod >= 0) || double.IsInfinity(availabilityPeriod))
            throw new ArgumentOutOfRangeException(nameof(availabilityPeriod), availabilityPeriod, "must be finite and >= 0");
        for (int i = 0; i < n; i++)
        {
            if (!(secondsPerSample[i] >= 0) || float.IsInfinity(secondsPerSample[i])) throw Bad(i, "seconds per sample", secondsPerSample[i], "finite and >= 0");
            if (!(uplinkBytesPerSecond[i] > 0) || float.IsInfinity(uplinkBytesPerSecond[i])) throw Bad(i, "uplink rate", uplinkBytesPerSecond[i], "finite and > 0");
            if (!(downlinkBytesPerSecond[i] > 0) || float.IsInfinity(downlinkBytesPerSecond[i])) throw Bad(i, "downlink rate", downlinkBytesPerSecond[i], "finite and > 0");
            if (samples[i] < 0) throw Bad(i, "samples", samples[i], ">= 0");
        }
        if (intervalOffsets != null)
        {
            if (intervalBegin == null || intervalEnd == null) throw new ArgumentException("interval offsets need begin and end arrays");
            if (intervalOffsets.Length != n + 1 || intervalOffsets[0] != 0 || intervalOffsets[n] != intervalBegin.Length || intervalBegin.Length != intervalEnd.Length)
                throw new ArgumentException("interval offsets must have count+1 entries, start at 0 and end at the interval count");
            for (int i = 0; i < n; i++)
            {
                if (intervalOffsets[i + 1] < intervalOffsets[i]) throw new ArgumentException($"interval offsets decrease at client {i}");
                double previousEnd = double.NegativeInfinity;
                for (int k = intervalOffsets[i]; k < intervalOffsets[i + 1]; k++)
                {
                    if (!(intervalBegin[k] >= previousEnd && intervalEnd[k] > intervalBegin[k]))
                        throw new ArgumentException($"client {i}: availability intervals must be non-empty, sorted and disjoint (interval {k - intervalOffsets[i]})");
                    if (availabilityPeriod > 0 && (intervalBegin[k] < 0 || intervalEnd[k] > availabilityPeriod))
                        throw new ArgumentException($"client {i}: periodic availability intervals must lie within [0, {availabilityPeriod}]");
                    previousEnd = intervalEnd[k];
                }
            }
        }
        SecondsPerSample = secondsPerSample;
        UplinkBytesPerSecond = uplinkBytesPerSecond;
        DownlinkBytesPerSecond = downlinkBytesPerSecond;
        Samples = samples;
        _offsets = intervalOffsets;
        _begin = intervalBegin;
        _end = intervalEnd;
        AvailabilityPeriod = availabilityPeriod;
    }

    private static ArgumentException Bad(int client, string what, double value, string expected) =>
        new($"client {client}: {what} is {value}, expected {expected}");

    public int Count => SecondsPerSample.Length;
    public float[] SecondsPerSample { get; }
    public float[] UplinkBytesPerSecond { get; }
    public float[] DownlinkBytesPerSecond { get; }
    public int[] Samples { get; }
    /// <summary>Repeat period of the availability intervals (0: absolute times, no repetition).</summary>
    public double AvailabilityPeriod { get; }
    /// <summary>True when no availability intervals were given: every client is always online.</summary>
    public bool AlwaysAvailable => _offsets == null;
    public int IntervalCount => _begin?.Length ?? 0;

    /// <summary>The availability intervals of <paramref name="client"/> as given (one period when periodic).</summary>
    public IEnumerable<(double Begin, double End)> IntervalsOf(int client)
    {
        if (_offsets == null) { yield return (0, double.PositiveInfinity); yield break; }
        for (int k = _offsets[client]; k < _offsets[client + 1]; k++) yield return (_begin![k], _end![k]);
    }

    /// <summary>Whether <paramref name="client"/> is online at time <paramref name="t"/>.</summary>
    public bool IsOnline(int client, double t) => OnlineUntil(client, t) > t;

    /// <summary>The end of the availability interval containing <paramref name="t"/> (+inf when the
    /// client never goes offline), or <paramref name="t"/> itself when the client is offline at t.
    /// Back-to-back intervals, and a periodic interval running into the next period, count as one.</summary>
    public double OnlineUntil(int client, double t)
    {
        if (_offsets == null) return double.PositiveInfinity;
        int lo = _offsets[client], hi = _offsets[client + 1];
        if (lo == hi) return t;
        double period = AvailabilityPeriod;
        if (period <= 0) return UntilAbsolute(lo, hi, t);

        double cycles = Math.Floor(t / period);
        double baseTime = cycles * period;
        double phase = t - baseTime;
        if (phase >= period) { baseTime += period; phase -= period; } // rounding guard
        int k = FindContaining(lo, hi, phase);
        if (k < 0) return t;
        // Walk forward through touching intervals, wrapping into following periods; a client whose
        // intervals cover the whole period is online forever.
        double end = baseTime + _end![k];
        int steps = 0;
        while (true)
        {
            int next = k + 1;
            double nextBegin;
            if (next < hi) nextBegin = baseTime + _begin![next];
            else { next = lo; baseTime += period; nextBegin = baseTime + _begin![lo]; }
            if (nextBegin > end) return end;
            end = baseTime + _end![next];
            k = next;
            if (++steps > hi - lo) return double.PositiveInfinity;
        }
    }

    private double UntilAbsolute(int lo, int hi, double t)
    {
        int k = FindContaining(lo, hi, t);
        if (k < 0) return t;
        double end = _end![k];
        while (k + 1 < hi && _begin![k + 1] <= end) end = _end![++k];
        return end;
    }

    /// <summary>Index of the interval in [lo, hi) with begin &lt;= x &lt; end, or -1.</summary>
    private int FindContaining(int lo, int hi, double x)
    {
        var begin = _begin!;
        int a = lo, b = hi - 1, found = -1;
        while (a <= b)
        {
            int mid = (a + b) >>> 1;
            if (begin[mid] <= x) { found = mid; a = mid + 1; }
            else b = mid - 1;
        }
        return found >= 0 && x < _end![found] ? found : -1;
    }

    /// <summary>The same clients' availability with other device columns: e.g. a measured availability
    /// trace combined with synthetic or calibrated compute speeds and link rates.</summary>
    public ClientPopulation WithDevices(float[] secondsPerSample, float[] uplinkBytesPerSecond, float[] downlinkBytesPerSecond, int[] samples) =>
        new(secondsPerSample, uplinkBytesPerSecond, downlinkBytesPerSecond, samples, _offsets, _begin, _end, AvailabilityPeriod);

    /// <summary>Fraction of clients online at time <paramref name="t"/> (a full scan; for reports and tests).</summary>
    public double OnlineFraction(double t)
    {
        if (Count == 0) return 0;
        int online = 0;
        for (int i = 0; i < Count; i++) if (IsOnline(i, t)) online++;
        return (double)online / Count;
    }
}
