using Sim.Core;
using Sim.Models.Network;
using Sim.Models.Training;

namespace Sim.Models.Dependability;

/// <summary>
/// Gradient synchronisation through an aggregation server, for defences that cannot run inside an
/// all-reduce (Krum, median, Bulyan, ...; AggregaThor and Garfield deploy them this way): every worker
/// sends its whole gradient bucket to the server over the network (the n flows share the server's
/// cable: incast), the server runs the defence (a FIFO aggregation resource: one bucket at a time,
/// for the seconds the fitted cost model gives), then sends the result back to every worker. A
/// plain-averaging defence is refused here: it belongs in an all-reduce (<see cref="DefenceCost.FitsInAllReduce"/>).
/// Allocation-free per transfer: in-flight buckets live in pooled slots whose index is the token.
/// </summary>
public sealed class RobustAggregationSync : IGradientSync
{
    private readonly INetwork _network;
    private readonly Simulation _sim;
    private readonly int[] _workers;
    private readonly int _server;
    private readonly Func<double, double> _aggregationSeconds;
    private readonly double _bytesPerParameter;
    private readonly string _description;
    private readonly Action<long> _onGathered, _onAggregated, _onReturned;
    private Slot[] _slots = new Slot[4];
    private int _freeHead = -1;
    private int _used;
    private double _serverFreeAt;

    private struct Slot
    {
        public double Bytes;
        public int Pending;
        public Action<long> OnDone;
        public long Token;
        public int NextFree;
    }

    /// <param name="network">Carries the gather and the push-back.</param>
    /// <param name="workerEndpoints">The n workers' network endpoints.</param>
    /// <param name="serverEndpoint">The aggregation server's endpoint.</param>
    /// <param name="aggregationSeconds">Aggregation time for a bucket of d coordinates (e.g. from
    /// <see cref="DefenceCost.AggregationSeconds"/>).</param>
    /// <param name="bytesPerParameter">Gradient bytes per coordinate (4 for fp32).</param>
    /// <param name="description">What <see cref="Describe"/> returns.</param>
    public RobustAggregationSync(INetwork network, IReadOnlyList<int> workerEndpoints, int serverEndpoint,
        Func<double, double> aggregationSeconds, double bytesPerParameter, string description)
    {
        if (workerEndpoints.Count < 1) throw new ArgumentException("need at least one worker", nameof(workerEndpoints));
        if (!(bytesPerParameter > 0)) throw new ArgumentOutOfRangeException(nameof(bytesPerParameter));
        _network = network;
        _sim = network.Simulation;
        _workers = workerEndpoints.ToArray();
        _server = serverEndpoint;
        _aggregationSeconds = aggregationSeconds;
        _bytesPerParameter = bytesPerParameter;
        _description = description;
        _onGathered = OnGathered;
        _onAggregated = OnAggregated;
        _onReturned = OnReturned;
    }

    public int Workers => _workers.Length;

    /// <summary>Seconds the aggregation server has spent aggregating (its busy time).</summary>
    public double AggregationBusySeconds { get; private set; }

    public string Describe() => _description;

    public void AllReduce(double bytes, Action<long> onDone, long token)
    {
        int slot = Rent();
        ref var s = ref _slots[slot];
        s.Bytes = bytes;
        s.Pending = _workers.Length;
        s.OnDone = onDone;
        s.Token = token;
        foreach (int w in _workers) _network.Transfer(bytes, w, _server, _onGathered, slot);
    }

    private void OnGathered(long slot)
    {
        ref var s = ref _slots[slot];
        if (--s.Pending > 0) return;
        double seconds = _aggregationSeconds(s.Bytes / _bytesPerParameter);
        double start = Math.Max(_sim.Now, _serverFreeAt);
        _serverFreeAt = start + seconds;
        AggregationBusySeconds += seconds;
        _sim.Schedule(_serverFreeAt - _sim.Now, _onAggregated, slot);
    }

    private void OnAggregated(long slot)
    {
        ref var s = ref _slots[slot];
        s.Pending = _workers.Length;
        foreach (int w in _workers) _network.Transfer(s.Bytes, _server, w, _onReturned, slot);
    }

    private void OnReturned(long slot)
    {
        ref var s = ref _slots[slot];
        if (--s.Pending > 0) return;
        var done = s.OnDone;
        long token = s.Token;
        s.OnDone = null!;
        s.NextFree = _freeHead;
        _freeHead = (int)slot;
        done(token);
    }

    private int Rent()
    {
        if (_freeHead >= 0)
        {
            int f = _freeHead;
            _freeHead = _slots[f].NextFree;
            return f;
        }
        if (_used == _slots.Length) Array.Resize(ref _slots, _slots.Length * 2);
        return _used++;
    }
}
