using Sim.Core;
using Sim.Core.Randomness;

namespace Sim.Models.Federated;

/// <summary>
/// The life of one client's turn at training, like a courier job: fetch the parcel (download the
/// model through the server's shared downlink), work on it (local epochs), bring it back (upload the
/// update through the shared uplink). The phone may leave at any moment, when its availability
/// interval ends, and the server may call the job off (the round closed). Participations live in
/// reusable slots; every pending kernel callback carries the slot and a token, so callbacks of a
/// cancelled participation are recognised as stale and ignored. Everything runs on the kernel's
/// allocation-free callback path.
///
/// Accounting, client side: bytes moved and compute seconds per participation; work of
/// participations that never contribute (dropped, cancelled, late, too stale) is "wasted".
/// </summary>
internal sealed class Participations
{
    private enum Phase : byte { Idle, Download, Compute, Upload, Arrived }

    private readonly Simulation _sim;
    private readonly ClientPopulation _population;
    private readonly FederatedConfig _config;
    private readonly RandomStream _jitterRng;
    // One downlink/uplink pair per aggregation point the clients talk to: the server itself, or each
    // edge aggregator under hierarchical aggregation (client c talks to edge c mod E).
    private readonly SharedLink[] _down;
    private readonly SharedLink[] _up;
    private readonly Action<long> _computeDone, _dropout;

    private int[] _client = new int[64];
    private Phase[] _phase = new Phase[64];
    private int[] _token = new int[64];
    private int[] _flow = new int[64];
    private double[] _computeSeconds = new double[64];
    private double[] _computeStart = new double[64];
    private double[] _bytesMoved = new double[64];
    private long[] _label = new long[64];
    private readonly Stack<int> _free = new();
    private int _slotsUsed;

    /// <summary>Called with the slot when an update has fully arrived at the server.</summary>
    public Action<int>? Arrived;
    /// <summary>Called with the slot when the client went offline mid-participation.</summary>
    public Action<int>? Dropped;

    public Participations(Simulation sim, ClientPopulation population, FederatedConfig config)
    {
        _sim = sim;
        _population = population;
        _config = config;
        _jitterRng = sim.Random("federated.compute-jitter");
        int points = Math.Max(1, config.EdgeAggregators);
        double downGbps = config.EdgeAggregators > 0 ? config.EdgeDownlinkGbps : config.ServerDownlinkGbps;
        double upGbps = config.EdgeAggregators > 0 ? config.EdgeUplinkGbps : config.ServerUplinkGbps;
        _down = new SharedLink[points];
        _up = new SharedLink[points];
        Action<long> downloadDone = DownloadDone, uploadDone = UploadDone;
        for (int e = 0; e < points; e++)
        {
            _down[e] = new SharedLink(sim, GbpsToBytes(downGbps), downloadDone);
            _up[e] = new SharedLink(sim, GbpsToBytes(upGbps), uploadDone);
        }
        _computeDone = ComputeDone;
        _dropout = Dropout;
    }

    internal static double GbpsToBytes(double gbps) => double.IsPositiveInfinity(gbps) ? double.PositiveInfinity : gbps * 1e9 / 8;

    public int Active { get; private set; }
    public long Started { get; private set; }
    public long Dropouts { get; private set; }
    public long Cancelled { get; private set; }
    public double BytesDownloaded { get; private set; }
    public double BytesUploadedCompleted { get; private set; }
    public double BytesUploadPartial { get; private set; }
    public double ComputeSeconds { get; private set; }
    public double WastedComputeSeconds { get; private set; }
    public double WastedBytes { get; private set; }
    /// <summary>Bytes the client-facing uplinks (server, or all edges) delivered, integrated from the transfer rates.</summary>
    public double ServerBytesReceived => _up.Sum(l => l.BytesDelivered);
    /// <summary>Bytes the client-facing downlinks (server, or all edges) delivered, integrated from the transfer rates.</summary>
    public double ServerBytesSent => _down.Sum(l => l.BytesDelivered);

    /// <summary>The aggregation point (edge index, or 0 for the server) client <paramref name="client"/> talks to.</summary>
    public int EdgeOf(int client) => _config.EdgeAggregators > 0 ? client % _config.EdgeAggregators : 0;

    public int ClientOf(int slot) => _client[slot];
    /// <summary>A number the owner attaches to a participation (round or model version at download).</summary>
    public long LabelOf(int slot) => _label[slot];

    /// <summary>Starts client <paramref name="client"/>'s participation now. A dropout is scheduled
    /// when its availability ends before <paramref name="horizon"/> (beyond it, the owner will have
    /// closed the participation anyway). Returns the slot, or -1 when the client is already offline
    /// (it went away while waiting for its edge to receive the model): that counts as a dropout.</summary>
    public int Begin(int client, long label, double horizon)
    {
        double until = _population.OnlineUntil(client, _sim.Now);
        if (until <= _sim.Now)
        {
            Started++;
            Dropouts++;
            return -1;
        }
        int slot = AllocateSlot();
        int token = ++_token[slot];
        _client[slot] = client;
        _label[slot] = label;
        _phase[slot] = Phase.Download;
        _bytesMoved[slot] = 0;
        double jitter = _config.ComputeJitter.Sample(_jitterRng);
        if (!(jitter >= 0) || double.IsInfinity(jitter)) throw new InvalidOperationException($"compute_jitter drew {jitter}; expected a finite multiplier >= 0");
        _computeSeconds[slot] = _config.LocalEpochs * (double)_population.Samples[client] * _population.SecondsPerSample[client] * jitter;
        Active++;
        Started++;
        long tag = Tag(slot, token);
        if (until < horizon && !double.IsPositiveInfinity(until)) _sim.ScheduleAt(until, _dropout, tag);
        _flow[slot] = _down[EdgeOf(client)].Start(_config.ModelBytes, _population.DownlinkBytesPerSecond[client], tag);
        return slot;
    }

    /// <summary>The server calls the participation off (round closed, training over): its work so far is wasted.</summary>
    public void Cancel(int slot)
    {
        if (_phase[slot] is Phase.Idle or Phase.Arrived) throw new InvalidOperationException($"slot {slot} is not running");
        Cancelled++;
        Stop(slot);
    }

    /// <summary>Compute seconds and bytes of the participation in <paramref name="slot"/> so far.</summary>
    public (double ComputeSeconds, double Bytes) WorkOf(int slot) => (_computeSeconds[slot], _bytesMoved[slot]);

    /// <summary>Books work that turned out useless after its participation had ended (an accepted update
    /// that never made it into a model because training stopped first).</summary>
    public void BookWasted(double computeSeconds, double bytes)
    {
        WastedComputeSeconds += computeSeconds;
        WastedBytes += bytes;
    }

    /// <summary>Books a selected client that was called off before it started (its edge never got the model).</summary>
    public void CancelBeforeStart()
    {
        Started++;
        Cancelled++;
    }

    /// <summary>The owner is done with an arrived update; <paramref name="contributed"/> false marks it wasted (late, too stale).</summary>
    public void Finish(int slot, bool contributed)
    {
        if (_phase[slot] != Phase.Arrived) throw new InvalidOperationException($"slot {slot} has not arrived");
        if (!contributed)
        {
            WastedComputeSeconds += _computeSeconds[slot];
            WastedBytes += _bytesMoved[slot];
        }
        Release(slot);
    }

    /// <summary>Whether the participation in <paramref name="slot"/> is still downloading, training or uploading.</summary>
    public bool IsRunning(int slot) => slot < _slotsUsed && _phase[slot] is Phase.Download or Phase.Compute or Phase.Upload;

    /// <summary>Calls off every running participation (end of training).</summary>
    public void CancelAll()
    {
        for (int slot = 0; slot < _slotsUsed; slot++)
            if (IsRunning(slot)) Cancel(slot);
    }

    private static long Tag(int slot, int token) => ((long)token << 32) | (uint)slot;

    private bool Current(long tag, out int slot)
    {
        slot = (int)(uint)tag;
        return _token[slot] == (int)(tag >> 32) && _phase[slot] is not (Phase.Idle or Phase.Arrived);
    }

    private void DownloadDone(long tag)
    {
        if (!Current(tag, out int slot)) return;
        _flow[slot] = -1;
        BytesDownloaded += _config.ModelBytes;
        _bytesMoved[slot] += _config.ModelBytes;
        _phase[slot] = Phase.Compute;
        _computeStart[slot] = _sim.Now;
        _sim.Schedule(_computeSeconds[slot], _computeDone, tag);
    }

    private void ComputeDone(long tag)
    {
        if (!Current(tag, out int slot)) return;
        ComputeSeconds += _computeSeconds[slot];
        _phase[slot] = Phase.Upload;
        _flow[slot] = _up[EdgeOf(_client[slot])].Start(_config.EffectiveUpdateBytes, _population.UplinkBytesPerSecond[_client[slot]], tag);
    }

    private void UploadDone(long tag)
    {
        if (!Current(tag, out int slot)) return;
        _flow[slot] = -1;
        BytesUploadedCompleted += _config.EffectiveUpdateBytes;
        _bytesMoved[slot] += _config.EffectiveUpdateBytes;
        _phase[slot] = Phase.Arrived;
        Active--;
        Arrived!(slot);
    }

    private void Dropout(long tag)
    {
        if (!Current(tag, out int slot)) return;
        Dropouts++;
        Stop(slot);
        Dropped!(slot);
    }

    /// <summary>Ends a running participation early: aborts its transfer and books its work as wasted.</summary>
    private void Stop(int slot)
    {
        switch (_phase[slot])
        {
            case Phase.Download:
                double down = _down[EdgeOf(_client[slot])].Abort(_flow[slot]);
                BytesDownloaded += down;
                _bytesMoved[slot] += down;
                break;
            case Phase.Compute:
                double spent = _sim.Now - _computeStart[slot];
                ComputeSeconds += spent;
                WastedComputeSeconds += spent;
                break;
            case Phase.Upload:
                double up = _up[EdgeOf(_client[slot])].Abort(_flow[slot]);
                BytesUploadPartial += up;
                _bytesMoved[slot] += up;
                WastedComputeSeconds += _computeSeconds[slot];
                break;
        }
        WastedBytes += _bytesMoved[slot];
        Active--;
        Release(slot);
    }

    private void Release(int slot)
    {
        _phase[slot] = Phase.Idle;
        _token[slot]++; // any callback still pending for this slot is now stale
        _flow[slot] = -1;
        _free.Push(slot);
    }

    private int AllocateSlot()
    {
        if (_free.Count > 0) return _free.Pop();
        if (_slotsUsed == _client.Length)
        {
            int n = _client.Length * 2;
            Array.Resize(ref _client, n);
            Array.Resize(ref _phase, n);
            Array.Resize(ref _token, n);
            Array.Resize(ref _flow, n);
            Array.Resize(ref _computeSeconds, n);
            Array.Resize(ref _computeStart, n);
            Array.Resize(ref _bytesMoved, n);
            Array.Resize(ref _label, n);
        }
        return _slotsUsed++;
    }
}
