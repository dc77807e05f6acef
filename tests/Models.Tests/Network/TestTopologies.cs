using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Models.Tests.Network;

/// <summary>Small fabrics with round figures shared by the network and collective tests.</summary>
internal static class TestTopologies
{
    public const double LinkLatency = 1e-6, Bandwidth = 1e10;
    /// <summary>Alpha and beta of any host-to-host path on <see cref="Uniform"/>: two hops.</summary>
    public const double Alpha = 2 * LinkLatency, Beta = 1 / Bandwidth;

    public static Topology Uniform(int hosts) => SingleSwitch.Create(hosts, Bandwidth, LinkLatency);

    /// <summary>Checks that a routed path is a chain of links from src's vertex to dst's vertex.</summary>
    public static void AssertValidPath(Topology t, int src, int dst)
    {
        Span<int> path = stackalloc int[Topology.MaxPathLength];
        int n = t.Route(src, dst, path);
        if (src == dst) { Assert.Equal(0, n); return; }
        Assert.True(n > 0);
        Assert.Equal(t.EndpointNode(src), t.LinkFrom(path[0]));
        for (int i = 1; i < n; i++) Assert.Equal(t.LinkTo(path[i - 1]), t.LinkFrom(path[i]));
        Assert.Equal(t.EndpointNode(dst), t.LinkTo(path[n - 1]));
    }

    public static int PathLength(Topology t, int src, int dst)
    {
        Span<int> path = stackalloc int[Topology.MaxPathLength];
        return t.Route(src, dst, path);
    }
}
