using Sim.Core.Randomness;

namespace Sim.Models.Federated;

/// <summary>
/// The server's recruiter, calling phone numbers at random from the directory until enough people
/// answer who are at home and not already busy. Rejection sampling: draw a client id uniformly,
/// keep it if it is online now and idle, so a selection of k clients costs about k / (online
/// fraction) availability look-ups instead of a scan of the whole population. Only when the online
/// fraction is so small that rejection keeps failing does it fall back to one exact scan.
/// The Oort-like policy ranks a random pool by expected duration (download + training + upload).
/// </summary>
internal sealed class ClientSelector
{
    private readonly ClientPopulation _population;
    private readonly FederatedConfig _config;
    private readonly RandomStream _rng;
    private readonly bool[] _busy;
    private readonly List<int> _pool = new();
    private readonly List<int> _scan = new();
    private double[] _poolKeys = new double[64];
    private int[] _poolIds = new int[64];

    public ClientSelector(ClientPopulation population, FederatedConfig config, RandomStream rng)
    {
        _population = population;
        _config = config;
        _rng = rng;
        _busy = new bool[population.Count];
    }

    /// <summary>Availability look-ups made so far (rejection sampling cost).</summary>
    public long Probes { get; private set; }
    /// <summary>Times the selector had to fall back to scanning the whole population.</summary>
    public long FullScans { get; private set; }

    public void Release(int client) => _busy[client] = false;

    /// <summary>Selects up to <paramref name="wanted"/> online, idle clients into <paramref name="output"/>
    /// (cleared first) and marks them busy. Returns how many were found.</summary>
    public int Select(double now, int wanted, List<int> output)
    {
        output.Clear();
        if (wanted <= 0) return 0;
        if (_config.Selection == SelectionPolicy.Random) return SampleOnline(now, wanted, output);

        int poolSize = (int)Math.Min(int.MaxValue / 2, Math.Ceiling(wanted * _config.SelectionPoolFactor));
        SampleOnline(now, poolSize, _pool);
        int explore = Math.Min(_pool.Count, (int)Math.Round(wanted * _config.ExplorationFraction));
        // The pool is in random order, so its head is a uniform random exploration sample.
        for (int i = 0; i < explore && output.Count < wanted; i++) output.Add(_pool[i]);
        int rest = _pool.Count - explore;
        if (_poolKeys.Length < rest) { _poolKeys = new double[rest]; _poolIds = new int[rest]; }
        for (int i = 0; i < rest; i++)
        {
            int c = _pool[explore + i];
            _poolIds[i] = c;
            _poolKeys[i] = ExpectedDuration(c);
        }
        Array.Sort(_poolKeys, _poolIds, 0, rest); // unstable but deterministic for a given input
        int exploit = Math.Min(rest, wanted - output.Count);
        for (int i = 0; i < exploit; i++) output.Add(_poolIds[i]);
        for (int i = exploit; i < rest; i++) _busy[_poolIds[i]] = false; // not chosen: back to idle
        return output.Count;
    }

    /// <summary>Download + local training + upload time on an uncontended server (Oort's system utility).</summary>
    public double ExpectedDuration(int c) =>
        _config.ModelBytes / _population.DownlinkBytesPerSecond[c]
        + (double)_config.LocalEpochs * _population.Samples[c] * _population.SecondsPerSample[c]
        + _config.EffectiveUpdateBytes / _population.UplinkBytesPerSecond[c];

    private int SampleOnline(double now, int wanted, List<int> output)
    {
        output.Clear();
        int n = _population.Count;
        if (n == 0) return 0;
        // Rejection costs about wanted / (online fraction) probes, a scan costs n: give rejection up to
        // half a scan's worth of probes, so a fallback at most 1.5x the cost of scanning outright.
        long attempts = Math.Max(32L * wanted + 1024, n / 2);
        while (output.Count < wanted && attempts-- > 0)
        {
            int c = (int)_rng.NextBounded((ulong)n);
            Probes++;
            if (_busy[c] || !_population.IsOnline(c, now)) continue;
            _busy[c] = true;
            output.Add(c);
        }
        if (output.Count < wanted) ScanRest(now, wanted, output);
        return output.Count;
    }

    /// <summary>Exact fallback when few clients are online: list every online idle client and draw
    /// the missing ones uniformly without replacement (partial Fisher-Yates).</summary>
    private void ScanRest(double now, int wanted, List<int> output)
    {
        FullScans++;
        _scan.Clear();
        for (int c = 0; c < _population.Count; c++)
            if (!_busy[c] && _population.IsOnline(c, now)) _scan.Add(c);
        int take = Math.Min(wanted - output.Count, _scan.Count);
        for (int i = 0; i < take; i++)
        {
            int j = i + (int)_rng.NextBounded((ulong)(_scan.Count - i));
            (_scan[i], _scan[j]) = (_scan[j], _scan[i]);
            _busy[_scan[i]] = true;
            output.Add(_scan[i]);
        }
    }
}
