using Sim.Core;
using Sim.Core.Statistics;

namespace Sim.Models.Federated;

/// <summary>
/// Buffered asynchronous aggregation, FedBuff (Nguyen et al., "Federated Learning with Buffered
/// Asynchronous Aggregation", AISTATS 2022): like a bakery that takes a new batch out of the oven
/// every B orders, whoever placed them and whenever. The server keeps C clients training at all
/// times; each downloads the current model, trains, uploads; updates are folded into a buffer and
/// every B folded updates make a new server model version. A client whose update arrives k versions
/// after the version it downloaded has staleness k (recorded per update, at arrival); updates staler
/// than <c>max_staleness</c> are discarded. A finished or dropped client is replaced at once by a new
/// selection; if nobody is online, the server retries after <c>retry_interval_s</c>.
/// </summary>
internal sealed class BufferedAsync : FederatedServer
{
    private readonly Action<long> _retry;
    private readonly long[] _stalenessCounts;
    private bool _retryPending;
    private int _buffered;
    private long _aggregated, _staleDiscarded, _late;
    // Work of the updates waiting to be folded, in submission order (= folding order: equal service times, FIFO).
    private readonly Queue<(double ComputeSeconds, double Bytes)> _unfolded = new();
    private double _lastVersionTime;

    public BufferedAsync(Simulation sim, ClientPopulation population, FederatedConfig config, ClientSelector selector)
        : base(sim, population, config, selector)
    {
        _retry = _ => { _retryPending = false; Refill(); };
        _stalenessCounts = new long[config.Rounds + 1]; // staleness never exceeds the versions produced
    }

    public long Version { get; private set; }
    public Tally VersionInterval { get; } = new();
    public Tally Staleness { get; } = new();
    public bool Finished { get; private set; }
    public double EndTime { get; private set; } = double.NaN;

    public void Start()
    {
        _lastVersionTime = _sim.Now;
        _accuracy.Begin();
        Refill();
    }

    private void Refill()
    {
        if (Finished) return;
        int wanted = _config.Concurrency - _participations.Active;
        if (wanted <= 0) return;
        int found = _selector.Select(_sim.Now, wanted, _chosen);
        foreach (int client in _chosen) _participations.Begin(client, Version, double.PositiveInfinity);
        if (found < wanted && !_retryPending)
        {
            if (_sim.Now + _config.RetryIntervalSeconds > _config.MaxTimeSeconds) { if (_participations.Active == 0) Finish(); return; }
            _retryPending = true;
            _sim.Schedule(_config.RetryIntervalSeconds, _retry, 0);
        }
    }

    protected override void Arrived(int slot)
    {
        _selector.Release(_participations.ClientOf(slot));
        long staleness = Version - _participations.LabelOf(slot);
        _stalenessCounts[staleness]++;
        Staleness.Add(staleness);
        bool keep = _config.MaxStaleness is not int max || staleness <= max;
        if (keep) _unfolded.Enqueue(_participations.WorkOf(slot));
        _participations.Finish(slot, keep);
        if (keep) _aggregator.Submit(staleness);
        else _staleDiscarded++;
        Refill();
    }

    protected override void Dropped(int slot)
    {
        _selector.Release(_participations.ClientOf(slot));
        Refill();
    }

    protected override void Folded(long staleness)
    {
        if (Finished) return;
        _unfolded.Dequeue();
        _aggregated++;
        if (++_buffered < _config.BufferSize) return;
        _buffered = 0;
        Version++;
        double now = _sim.Now;
        VersionInterval.Add(now - _lastVersionTime);
        _lastVersionTime = now;
        _accuracy.Observe(Version, now);
        if (Version == _config.Rounds || now >= _config.MaxTimeSeconds) Finish();
    }

    /// <summary>Ends training now: clients still working are called off, and updates still queued for
    /// folding are late (they never make it into a model).</summary>
    public void Finish()
    {
        if (Finished) return;
        Finished = true;
        EndTime = _sim.Now;
        _participations.CancelAll();
        while (_unfolded.Count > 0)
        {
            var (compute, bytes) = _unfolded.Dequeue();
            _participations.BookWasted(compute, bytes);
            _late++;
        }
        _sim.Stop();
    }

    public FederatedResult Result(ulong seed) =>
        FederatedResult.Common(AggregationMode.Async, seed, _sim, _participations, _selector, _aggregator, _accuracy) with
        {
            ModelVersions = Version,
            RoundTime = VersionInterval,
            SimulatedSeconds = (Finished ? EndTime : _sim.Now) - _config.StartTimeSeconds,
            HitTimeLimit = Version < _config.Rounds,
            Aggregated = _aggregated,
            Late = _late,
            StaleDiscarded = _staleDiscarded,
            Staleness = Staleness,
            StalenessHistogram = TrimmedHistogram(),
        };

    private long[] TrimmedHistogram()
    {
        int last = _stalenessCounts.Length - 1;
        while (last >= 0 && _stalenessCounts[last] == 0) last--;
        return _stalenessCounts[..(last + 1)];
    }
}
