using Sim.Core;

namespace Sim.Models.Network;

/// <summary>
/// Moving bytes between endpoints, like a courier service: hand over a parcel (bytes, from, to) and
/// be told when it arrives. Two ways to be told: an <see cref="Event"/> for process-style models, or a
/// callback with a caller-chosen token for hot paths (no allocation per transfer).
/// </summary>
public interface INetwork
{
    Simulation Simulation { get; }
    Topology Topology { get; }
    /// <summary>Running totals of bytes per link and per endpoint.</summary>
    NetworkCounters Counters { get; }

    /// <summary>Sends <paramref name="bytes"/> from endpoint <paramref name="src"/> to <paramref name="dst"/>; the event fires on arrival.</summary>
    Event Transfer(double bytes, int src, int dst);

    /// <summary>
    /// Hot-path variant: calls <paramref name="onComplete"/>(<paramref name="token"/>) on arrival. The
    /// path latency is paid <paramref name="latencyRounds"/> times: an aggregated pipelined transfer
    /// standing for that many back-to-back messages on the same path (see ring collectives).
    /// <paramref name="copies"/> identical transfers (k channels of a ring between the same two ranks)
    /// can be sent as one call: each moves <paramref name="bytes"/> and counts as a transfer; they
    /// share bandwidth as k separate transfers would and, being identical, all arrive at the same
    /// instant, when the one callback fires.
    /// </summary>
    void Transfer(double bytes, int src, int dst, Action<long> onComplete, long token, int latencyRounds = 1, int copies = 1);
}
