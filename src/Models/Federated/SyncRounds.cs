using Sim.Core;
using Sim.Core.Statistics;

namespace Sim.Models.Federated;

/// <summary>
/// Synchronous FedAvg as run by a production server (Bonawitz et al., "Towards Federated Learning at
/// Scale: System Design", MLSys 2019): like a teacher who needs K homework sheets, hands out a few
/// more than K because some pupils will not come back, collects the first K, and stops waiting at the
/// bell. Each round the server selects ceil(K(1+o)) online clients, every one downloads the model,
/// trains E epochs and uploads its update; the first K arrivals are folded in (through the contended
/// aggregator), later arrivals are discarded, and clients still working are told to stop. A round
/// closes when it has K updates, when its deadline passes, or when nobody is left working; it
/// succeeds if it aggregated at least <c>min_updates</c>. If fewer than K clients are online the
/// server waits <c>retry_interval_s</c> and tries again (devices check in over time). With a robust
/// defence (issue #18) the server holds the accepted updates and, once the round is complete and
/// successful, runs the rule on them for its measured time before the round ends.
/// </summary>
internal sealed class SyncRounds : FederatedServer
{
    private readonly List<int> _roundSlots = new();
    private readonly Action<long> _deadline, _retry, _defended;
    private bool _defending;
    private readonly EdgeTier? _edges;
    private readonly List<int>[] _waiting = [];    // per edge: selected clients waiting for the edge to get the model
    private readonly int[] _edgeAccepted = [];      // per edge: updates accepted this round
    private int _pendingAggregates;                 // partial aggregates on their way to the server

    private int _round = -1;
    private double _roundStart;
    private int _selected, _accepted, _running, _dropped, _cancelled;
    private long _late;
    private bool _closed;

    public SyncRounds(Simulation sim, ClientPopulation population, FederatedConfig config, ClientSelector selector)
        : base(sim, population, config, selector)
    {
        _deadline = Deadline;
        _retry = _ => StartRound();
        _defended = round => { if (round == _round && !Finished) { _defending = false; EndRound(); } };
        if (config.EdgeAggregators > 0)
        {
            _edges = new EdgeTier(sim, config, ModelAtEdge, AggregateAtServer);
            _waiting = Enumerable.Range(0, config.EdgeAggregators).Select(_ => new List<int>()).ToArray();
            _edgeAccepted = new int[config.EdgeAggregators];
        }
    }

    public EdgeTier? Edges => _edges;

    public Tally RoundTime { get; } = new();
    public List<RoundRecord> Rounds { get; } = new();
    public int Succeeded { get; private set; }
    public double EndTime { get; private set; } = double.NaN;
    public bool Finished { get; private set; }

    public void Start()
    {
        _accuracy.Begin();
        StartRound();
    }

    private void StartRound()
    {
        if (Rounds.Count == _config.Rounds) { Finish(); return; }
        double now = _sim.Now;
        int k = _config.ClientsPerRound;
        int found = _selector.Select(now, _config.SelectedPerRound, _chosen);
        if (found < k)
        {
            foreach (int c in _chosen) _selector.Release(c);
            if (now + _config.RetryIntervalSeconds > _config.MaxTimeSeconds) { Finish(); return; }
            _sim.Schedule(_config.RetryIntervalSeconds, _retry, 0);
            return;
        }
        _round = Rounds.Count;
        _roundStart = now;
        _selected = found;
        _accepted = _dropped = _cancelled = 0;
        _running = found;
        _closed = false;
        _roundSlots.Clear();
        // Stragglers that are not cancelled may outlive the round, so their dropouts always matter.
        double horizon = _config.CancelStragglers ? now + _config.DeadlineSeconds : double.PositiveInfinity;
        if (_edges == null)
            foreach (int client in _chosen) _roundSlots.Add(_participations.Begin(client, _round, horizon));
        else
        {
            Array.Clear(_edgeAccepted);
            _pendingAggregates = 0;
            foreach (int client in _chosen) _waiting[_participations.EdgeOf(client)].Add(client);
            for (int e = 0; e < _waiting.Length; e++)
                if (_waiting[e].Count > 0) _edges.PushModel(_round, e);
        }
        if (!double.IsPositiveInfinity(_config.DeadlineSeconds)) _sim.Schedule(_config.DeadlineSeconds, _deadline, _round);
    }

    /// <summary>Edge <c>tag</c>'s copy of the model has arrived: its waiting clients start.</summary>
    private void ModelAtEdge(long tag)
    {
        int edge = _edges!.EdgeOfTag(tag);
        if (_edges.RoundOfTag(tag) != _round || _closed) return;
        double horizon = _config.CancelStragglers ? _roundStart + _config.DeadlineSeconds : double.PositiveInfinity;
        foreach (int client in _waiting[edge])
        {
            int slot = _participations.Begin(client, _round, horizon);
            if (slot >= 0) { _roundSlots.Add(slot); continue; }
            _selector.Release(client); // went offline while the edge was fetching the model
            _running--;
            _dropped++;
        }
        _waiting[edge].Clear();
        if (_running == 0 && !_closed) Close();
    }

    private void AggregateAtServer(long tag)
    {
        if (_edges!.RoundOfTag(tag) != _round) return;
        _pendingAggregates--;
        _aggregator.Submit(_round);
    }

    protected override void Arrived(int slot)
    {
        _selector.Release(_participations.ClientOf(slot));
        bool ownRound = _participations.LabelOf(slot) == _round;
        if (ownRound) _running--;
        bool counts = ownRound && !_closed && _accepted < _config.ClientsPerRound;
        _participations.Finish(slot, counts);
        if (!counts) { _late++; return; }
        _accepted++;
        if (_edges == null) _aggregator.Submit(_round);
        else _edgeAccepted[_participations.EdgeOf(_participations.ClientOf(slot))]++;
        if (_accepted == _config.ClientsPerRound || _running == 0) Close();
    }

    protected override void Dropped(int slot)
    {
        _selector.Release(_participations.ClientOf(slot));
        if (_participations.LabelOf(slot) != _round) return; // a straggler of an earlier round
        _running--;
        if (_closed) return;
        _dropped++;
        if (_running == 0) Close();
    }

    private void Deadline(long round)
    {
        if (round == _round && !_closed) Close();
    }

    private void Close()
    {
        _closed = true;
        CancelWaitingAtEdges();
        if (_config.CancelStragglers)
        {
            foreach (int slot in _roundSlots)
            {
                if (!_participations.IsRunning(slot)) continue;
                _selector.Release(_participations.ClientOf(slot));
                _participations.Cancel(slot);
                _running--;
                _cancelled++;
            }
        }
        if (_edges != null)
            for (int e = 0; e < _edgeAccepted.Length; e++)
                if (_edgeAccepted[e] > 0) { _pendingAggregates++; _edges.SendAggregate(_round, e); }
        if (RoundComplete) Complete();
    }

    private void CancelWaitingAtEdges()
    {
        if (_edges == null) return;
        for (int e = 0; e < _waiting.Length; e++)
        {
            _edges.AbortPush(e);
            foreach (int client in _waiting[e]) { _selector.Release(client); _participations.CancelBeforeStart(); _running--; _cancelled++; }
            _waiting[e].Clear();
        }
    }

    private bool RoundComplete => _closed && _aggregator.Pending == 0 && _pendingAggregates == 0;

    protected override void Folded(long round)
    {
        if (RoundComplete) Complete();
    }

    /// <summary>Every accepted update is in: end the round, after the robust rule's run when there is one.</summary>
    private void Complete()
    {
        if (_defending) return;
        double seconds = _config.Defence is { FitsInAllReduce: false } defence && _accepted >= _config.EffectiveMinUpdates
            ? defence.AggregationSeconds(_config.DefenceCosts, _accepted, _config.UpdateCoordinates) : 0;
        if (seconds == 0) { EndRound(); return; }
        _defending = true;
        DefenceSeconds += seconds;
        _sim.Schedule(seconds, _defended, _round);
    }

    /// <summary>Seconds the server spent running the robust rule, over all rounds.</summary>
    public double DefenceSeconds { get; private set; }

    private void EndRound()
    {
        double now = _sim.Now;
        bool ok = _accepted >= _config.EffectiveMinUpdates;
        Rounds.Add(new RoundRecord(_round, _roundStart, now, _selected, _accepted, _dropped, _cancelled, ok));
        RoundTime.Add(now - _roundStart);
        if (ok)
        {
            Succeeded++;
            _accuracy.Observe(Succeeded, now);
        }
        _round = -1;
        if (now >= _config.MaxTimeSeconds) Finish();
        else StartRound();
    }

    /// <summary>Ends training now (called when <c>max_time_s</c> cuts a run short): a round in progress
    /// is called off and recorded as failed.</summary>
    public void Stop()
    {
        if (Finished) return;
        if (_round >= 0)
        {
            _cutOff = true;
            _defending = false;
            CancelWaitingAtEdges();
            foreach (int slot in _roundSlots)
                if (_participations.IsRunning(slot)) { _participations.Cancel(slot); _cancelled++; }
            Rounds.Add(new RoundRecord(_round, _roundStart, _sim.Now, _selected, _accepted, _dropped, _cancelled, false));
            RoundTime.Add(_sim.Now - _roundStart);
        }
        Finish();
    }

    private bool _cutOff;

    private void Finish()
    {
        if (Finished) return;
        Finished = true;
        EndTime = _sim.Now;
        _participations.CancelAll();
        _sim.Stop();
    }

    public FederatedResult Result(ulong seed) =>
        FederatedResult.Common(AggregationMode.Sync, seed, _sim, _participations, _selector, _aggregator, _accuracy) with
        {
            RoundsAttempted = Rounds.Count,
            RoundsSucceeded = Succeeded,
            ModelVersions = Succeeded,
            RoundTime = RoundTime,
            SimulatedSeconds = (Finished ? EndTime : _sim.Now) - _config.StartTimeSeconds,
            HitTimeLimit = _cutOff || Rounds.Count < _config.Rounds,
            Aggregated = Rounds.Sum(r => (long)r.Aggregated),
            Late = _late,
            Hierarchical = _edges != null,
            EdgeAggregateBytesToServer = _edges?.BytesFromEdges ?? 0,
            ModelBytesToEdges = _edges?.BytesToEdges ?? 0,
            Rounds = Rounds,
        };
}
