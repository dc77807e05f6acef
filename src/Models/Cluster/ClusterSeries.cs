namespace Sim.Models.Cluster;

/// <summary>
/// Time-averaged state of the cluster in fixed bins of <see cref="BinSeconds"/>: busy GPUs, jobs
/// waiting, jobs in the system, fragmented free GPUs. Memory grows with simulated time over the bin
/// width (a month in hourly bins is 720 rows), never with the number of events.
/// </summary>
public sealed class ClusterSeries
{
    private readonly List<double> _busy = [], _waiting = [], _inSystem = [], _fragmented = [];

    public ClusterSeries(double binSeconds)
    {
        if (!(binSeconds > 0)) throw new ArgumentOutOfRangeException(nameof(binSeconds), binSeconds, "must be > 0");
        BinSeconds = binSeconds;
    }

    public double BinSeconds { get; }
    public int Count => _busy.Count;
    /// <summary>Mean busy GPUs over bin i (the last bin is averaged over its full width).</summary>
    public double BusyGpus(int i) => _busy[i] / BinSeconds;
    public double Waiting(int i) => _waiting[i] / BinSeconds;
    public double InSystem(int i) => _inSystem[i] / BinSeconds;
    public double FragmentedFree(int i) => _fragmented[i] / BinSeconds;
    public double BinStart(int i) => i * BinSeconds;

    /// <summary>Adds the state held constant over [from, to).</summary>
    internal void Add(double from, double to, double busy, double waiting, double inSystem, double fragmented)
    {
        while (from < to)
        {
            int bin = (int)Math.Min(from / BinSeconds, int.MaxValue - 1);
            double end = Math.Min(to, (bin + 1) * BinSeconds);
            if (end <= from) end = to; // rounding at a bin edge: put the sliver in this bin
            while (_busy.Count <= bin) { _busy.Add(0); _waiting.Add(0); _inSystem.Add(0); _fragmented.Add(0); }
            double dt = end - from;
            _busy[bin] += busy * dt;
            _waiting[bin] += waiting * dt;
            _inSystem[bin] += inSystem * dt;
            _fragmented[bin] += fragmented * dt;
            from = end;
        }
    }
}
