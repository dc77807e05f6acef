using Sim.Models.Hardware;

namespace Sim.Models.Network;

/// <summary>
/// Everyone on one non-blocking switch, like houses around a single roundabout: every path is
/// "my cable up, your cable down". The star around parameter servers is the same shape with two kinds
/// of endpoints (workers, then servers) whose cables may differ in bandwidth.
/// </summary>
public static class SingleSwitch
{
    /// <summary><paramref name="hosts"/> endpoints with identical cables to one switch.</summary>
    public static Topology Create(int hosts, double bandwidth, double latency, NodeKind kind = NodeKind.Host)
    {
        SpecError.RequireAtLeast("fabric.hosts", hosts, 1);
        SpecError.RequirePositive("fabric.hostBandwidth", bandwidth);
        SpecError.RequireNonNegative("fabric.hostLatency", latency);
        var b = new TopologyBuilder($"single-switch({hosts})");
        var attach = new int[hosts];
        for (int h = 0; h < hosts; h++) { attach[h] = b.AddNode($"{kind.ToString().ToLowerInvariant()}{h}", kind); b.AddEndpoint(attach[h]); }
        var up = Attach(b, attach, _ => bandwidth, latency);
        return b.Build(_ => new StarRouter(up));
    }

    /// <summary>
    /// Workers (endpoints 0..workers-1) and parameter servers (endpoints workers..workers+servers-1)
    /// around one switch; the servers' cables are usually the incast bottleneck.
    /// </summary>
    public static Topology Star(int workers, int servers, double workerBandwidth, double serverBandwidth, double latency)
    {
        SpecError.RequireAtLeast("star.workers", workers, 1);
        SpecError.RequireAtLeast("star.servers", servers, 1);
        SpecError.RequirePositive("star.workerBandwidth", workerBandwidth);
        SpecError.RequirePositive("star.serverBandwidth", serverBandwidth);
        SpecError.RequireNonNegative("star.latency", latency);
        var b = new TopologyBuilder($"star({workers} workers, {servers} servers)");
        var attach = new int[workers + servers];
        for (int w = 0; w < workers; w++) { attach[w] = b.AddNode($"worker{w}", NodeKind.Host); b.AddEndpoint(attach[w]); }
        for (int s = 0; s < servers; s++) { attach[workers + s] = b.AddNode($"ps{s}", NodeKind.ParameterServer); b.AddEndpoint(attach[workers + s]); }
        var up = Attach(b, attach, i => i < workers ? workerBandwidth : serverBandwidth, latency);
        return b.Build(_ => new StarRouter(up));
    }

    private static int[] Attach(TopologyBuilder b, int[] attach, Func<int, double> bandwidth, double latency)
    {
        int sw = b.AddNode("switch", NodeKind.Switch);
        var up = new int[attach.Length];
        for (int i = 0; i < attach.Length; i++) up[i] = b.AddCable(attach[i], sw, bandwidth(i), latency);
        return up;
    }

    /// <summary>Up-cable of the source, then the down direction (id + 1) of the destination's cable.</summary>
    private sealed class StarRouter(int[] up) : IRouter
    {
        public int Route(int src, int dst, Span<int> links)
        {
            if (src == dst) return 0;
            links[0] = up[src];
            links[1] = up[dst] + 1;
            return 2;
        }
    }
}
