using Sim.Core;

namespace Sim.Models.Network;

/// <summary>
/// The alpha-beta network, like timing a drive by distance and speed limit while ignoring traffic:
/// a transfer takes the sum of its path's per-hop latencies (alpha) plus bytes over the path's slowest
/// link (beta = 1 / bottleneck bandwidth). Transfers never slow each other down. Cheap and exact when
/// links are not shared; an optimistic bound when they are. Copies of a transfer travel side by side
/// and arrive together.
/// </summary>
public sealed class AnalyticalNetwork : NetworkBase
{
    public AnalyticalNetwork(Simulation simulation, Topology topology) : base(simulation, topology) { }

    protected override void Start(int slot, double bytes, int src, int dst, int latencyRounds, int copies)
    {
        Span<int> path = stackalloc int[Topology.MaxPathLength];
        int n = Topology.Route(src, dst, path);
        double latency = 0, bandwidth = double.PositiveInfinity;
        var linkBytes = Counters.LinkBytesArray;
        for (int i = 0; i < n; i++)
        {
            int l = path[i];
            latency += Topology.LinkLatency(l);
            bandwidth = Math.Min(bandwidth, Topology.LinkBandwidth(l));
            linkBytes[l] += bytes * copies;
        }
        double delay = n == 0 ? 0 : latencyRounds * latency + bytes / bandwidth;
        Simulation.Schedule(delay, CompleteSlot, slot);
    }
}
