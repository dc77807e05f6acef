using Sim.Core;
using Sim.Models.Network;

namespace Sim.Models.Collectives;

/// <summary>
/// One collective operation lowered to network transfers, like a relay race planned leg by leg: each
/// algorithm decides which rank sends how many bytes to which, and when (after which arrivals); the
/// network decides how long each leg takes. Ranks are indices into <see cref="Ranks"/>, the network
/// endpoints taking part. <see cref="Bytes"/> follows nccl-tests: the per-rank buffer for all-reduce,
/// broadcast and all-to-all, the whole gathered buffer for all-gather and the whole input of
/// reduce-scatter. Transfers report back through one cached delegate (no allocation per transfer).
/// </summary>
public abstract class Collective
{
    private readonly Action<long> _onTransfer;
    private Action<long>? _onDone;
    private long _doneToken;

    protected Collective(INetwork network, IReadOnlyList<int> ranks, double bytes)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(ranks);
        if (ranks.Count < 1) throw new ArgumentException("ranks: must contain at least one endpoint", nameof(ranks));
        if (!(bytes >= 0) || double.IsInfinity(bytes)) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "must be finite and >= 0");
        for (int i = 0; i < ranks.Count; i++)
            if ((uint)ranks[i] >= (uint)network.Topology.EndpointCount)
                throw new ArgumentOutOfRangeException(nameof(ranks), $"ranks[{i}] = {ranks[i]} is not an endpoint of the topology (0..{network.Topology.EndpointCount - 1})");
        Network = network;
        Ranks = ranks;
        Bytes = bytes;
        _onTransfer = OnTransfer;
    }

    public INetwork Network { get; }
    public IReadOnlyList<int> Ranks { get; }
    public int P => Ranks.Count;
    public double Bytes { get; }
    public double StartTime { get; private set; } = double.NaN;
    public double EndTime { get; private set; } = double.NaN;
    public double Duration => EndTime - StartTime;
    public bool IsDone { get; private set; }

    /// <summary>Starts now; calls <paramref name="onDone"/>(<paramref name="token"/>) when every rank has its result.</summary>
    public void Start(Action<long> onDone, long token)
    {
        if (!double.IsNaN(StartTime)) throw new InvalidOperationException("a collective runs once; create a new one");
        _onDone = onDone; _doneToken = token;
        StartTime = Network.Simulation.Now;
        Begin();
    }

    /// <summary>Starts now; the event fires when the collective is complete.</summary>
    public Event Run()
    {
        var ev = Network.Simulation.Event();
        Start(_ => ev.Succeed(this), 0);
        return ev;
    }

    /// <summary>Algorithm-specific: issue the first transfers.</summary>
    protected abstract void Begin();

    /// <summary>Algorithm-specific: the transfer issued with <paramref name="token"/> arrived.</summary>
    protected abstract void OnTransfer(long token);

    /// <summary>Sends from rank index <paramref name="src"/> to rank index <paramref name="dst"/>
    /// (<paramref name="copies"/> identical transfers, arriving together: see <see cref="INetwork"/>).</summary>
    protected void Send(double bytes, int src, int dst, long token, int latencyRounds = 1, int copies = 1) =>
        Network.Transfer(bytes, Ranks[src], Ranks[dst], _onTransfer, token, latencyRounds, copies);

    /// <summary>Declares the collective complete (each algorithm calls this exactly once).</summary>
    protected void Finish()
    {
        IsDone = true;
        EndTime = Network.Simulation.Now;
        if (Network.Simulation.Timeline is { } timeline)
            timeline.Span(timeline.Track("network", "collectives"), $"{GetType().Name} {P} ranks {Bytes:G4} B", StartTime, EndTime, "collective");
        _onDone!(_doneToken);
    }

    /// <summary>Completes at the current instant, for degenerate sizes (one rank), via the event queue
    /// so that callers always see completion after Start returns.</summary>
    protected void FinishSoon() => Network.Simulation.Schedule(0, _finishNow);

    private Action? _finishNowCache;
    private Action _finishNow => _finishNowCache ??= Finish;
}
