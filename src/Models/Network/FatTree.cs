using Sim.Models.Hardware;

namespace Sim.Models.Network;

/// <summary>
/// Folded-Clos ("fat tree") fabrics, like a road system of local streets (host links), avenues (leaf to
/// spine) and highways (aggregation to core). Two levels: hosts on leaf switches, every leaf cabled to
/// every spine. Three levels: pods of edge and aggregation switches, aggregation switch a of every pod
/// cabled to core group a. Oversubscription narrows the first uplink tier: each edge/leaf switch has
/// (down-ports * host bandwidth) / oversubscription of uplink capacity in total.
/// Routing is structural: up to the lowest common ancestor, an ECMP hash choosing the spine (or the
/// aggregation switch and core), then down, in O(path length) per pair with no tables.
/// </summary>
public static class FatTree
{
    /// <summary>Two-level leaf-spine fabric with <paramref name="hosts"/> endpoints of kind <paramref name="hostKind"/>.</summary>
    public static Topology TwoLevel(int hosts, double hostBandwidth, double hostLatency, FabricSpec fabric, NodeKind hostKind = NodeKind.Host)
    {
        Check(hosts, hostBandwidth, hostLatency, fabric);
        var b = new TopologyBuilder($"fat-tree-2({hosts})");
        var attach = new int[hosts];
        for (int h = 0; h < hosts; h++) { attach[h] = b.AddNode($"{hostKind.ToString().ToLowerInvariant()}{h}", hostKind); b.AddEndpoint(attach[h]); }
        var layout = AddTwoLevel(b, attach, hostBandwidth, hostLatency, fabric);
        return b.Build(_ => new TwoLevelRouter(layout));
    }

    /// <summary>Three-level (edge, aggregation, core) fabric with <paramref name="hosts"/> endpoints.</summary>
    public static Topology ThreeLevel(int hosts, double hostBandwidth, double hostLatency, FabricSpec fabric, NodeKind hostKind = NodeKind.Host)
    {
        Check(hosts, hostBandwidth, hostLatency, fabric);
        var b = new TopologyBuilder($"fat-tree-3({hosts})");
        var attach = new int[hosts];
        for (int h = 0; h < hosts; h++) { attach[h] = b.AddNode($"{hostKind.ToString().ToLowerInvariant()}{h}", hostKind); b.AddEndpoint(attach[h]); }
        var layout = AddThreeLevel(b, attach, hostBandwidth, hostLatency, fabric);
        return b.Build(_ => new ThreeLevelRouter(layout));
    }

    private static void Check(int hosts, double bw, double latency, FabricSpec fabric)
    {
        SpecError.RequireAtLeast("fabric.hosts", hosts, 1);
        SpecError.RequirePositive("fabric.hostBandwidth", bw);
        SpecError.RequireNonNegative("fabric.hostLatency", latency);
        fabric.Validate("fabric");
    }

    internal sealed class TwoLevelLayout
    {
        public int HostsPerLeaf, Spines;
        public int[] HostUp = [], HostDown = [], LeafUp = [], LeafDown = [];
    }

    /// <summary>Cables <paramref name="attach"/> (the hosts, in order) into a leaf-spine fabric.</summary>
    internal static TwoLevelLayout AddTwoLevel(TopologyBuilder b, int[] attach, double hostBw, double hostLatency, FabricSpec f)
    {
        int d = f.LeafDownPorts, s = f.UplinksPerLeaf, leaves = (attach.Length + d - 1) / d;
        var L = new TwoLevelLayout { HostsPerLeaf = d, Spines = s, HostUp = new int[attach.Length], HostDown = new int[attach.Length],
            LeafUp = new int[leaves * s], LeafDown = new int[leaves * s] };
        double uplinkBw = d * hostBw / (s * f.Oversubscription);
        var leaf = new int[leaves];
        for (int l = 0; l < leaves; l++) leaf[l] = b.AddNode($"leaf{l}", NodeKind.Switch);
        var spine = new int[s];
        for (int i = 0; i < s; i++) spine[i] = b.AddNode($"spine{i}", NodeKind.Switch);
        for (int h = 0; h < attach.Length; h++)
        {
            L.HostUp[h] = b.AddCable(attach[h], leaf[h / d], hostBw, hostLatency);
            L.HostDown[h] = L.HostUp[h] + 1;
        }
        for (int l = 0; l < leaves; l++)
            for (int i = 0; i < s; i++)
            {
                L.LeafUp[l * s + i] = b.AddCable(leaf[l], spine[i], uplinkBw, f.SwitchLatency);
                L.LeafDown[l * s + i] = L.LeafUp[l * s + i] + 1;
            }
        return L;
    }

    private sealed class TwoLevelRouter(TwoLevelLayout L) : IRouter
    {
        public int Route(int src, int dst, Span<int> links)
        {
            if (src == dst) return 0;
            int la = src / L.HostsPerLeaf, lb = dst / L.HostsPerLeaf;
            links[0] = L.HostUp[src];
            if (la == lb) { links[1] = L.HostDown[dst]; return 2; }
            int s = Ecmp.Pick(src, dst, 0, L.Spines);
            links[1] = L.LeafUp[la * L.Spines + s];
            links[2] = L.LeafDown[lb * L.Spines + s];
            links[3] = L.HostDown[dst];
            return 4;
        }
    }

    internal sealed class ThreeLevelLayout
    {
        public int HostsPerEdge, EdgesPerPod, Aggs, Cores;
        public int[] HostUp = [], HostDown = [], EdgeUp = [], EdgeDown = [], AggUp = [], AggDown = [];
    }

    /// <summary>Cables <paramref name="attach"/> into pods of edge and aggregation switches under core groups.</summary>
    internal static ThreeLevelLayout AddThreeLevel(TopologyBuilder b, int[] attach, double hostBw, double hostLatency, FabricSpec f)
    {
        int d = f.LeafDownPorts, e = f.EdgesPerPod, a = f.UplinksPerLeaf, c = f.CoresPerGroup;
        int edges = (attach.Length + d - 1) / d, pods = (edges + e - 1) / e;
        var L = new ThreeLevelLayout { HostsPerEdge = d, EdgesPerPod = e, Aggs = a, Cores = c,
            HostUp = new int[attach.Length], HostDown = new int[attach.Length],
            EdgeUp = new int[edges * a], EdgeDown = new int[edges * a],
            AggUp = new int[pods * a * c], AggDown = new int[pods * a * c] };
        double edgeUpBw = d * hostBw / (a * f.Oversubscription);
        // Aggregation tier is non-blocking: an aggregation switch's down capacity (e edge links) equals its up capacity.
        double aggUpBw = e * edgeUpBw / c;
        var edge = new int[edges];
        for (int i = 0; i < edges; i++) edge[i] = b.AddNode($"edge{i}", NodeKind.Switch);
        var agg = new int[pods * a];
        for (int i = 0; i < agg.Length; i++) agg[i] = b.AddNode($"agg{i / a}.{i % a}", NodeKind.Switch);
        var core = new int[a * c];
        for (int i = 0; i < core.Length; i++) core[i] = b.AddNode($"core{i / c}.{i % c}", NodeKind.Switch);
        for (int h = 0; h < attach.Length; h++)
        {
            L.HostUp[h] = b.AddCable(attach[h], edge[h / d], hostBw, hostLatency);
            L.HostDown[h] = L.HostUp[h] + 1;
        }
        for (int i = 0; i < edges; i++)
            for (int j = 0; j < a; j++)
            {
                L.EdgeUp[i * a + j] = b.AddCable(edge[i], agg[(i / e) * a + j], edgeUpBw, f.SwitchLatency);
                L.EdgeDown[i * a + j] = L.EdgeUp[i * a + j] + 1;
            }
        for (int g = 0; g < pods * a; g++)
            for (int k = 0; k < c; k++)
            {
                L.AggUp[g * c + k] = b.AddCable(agg[g], core[(g % a) * c + k], aggUpBw, f.SwitchLatency);
                L.AggDown[g * c + k] = L.AggUp[g * c + k] + 1;
            }
        return L;
    }

    private sealed class ThreeLevelRouter(ThreeLevelLayout L) : IRouter
    {
        public int Route(int src, int dst, Span<int> links)
        {
            if (src == dst) return 0;
            int ea = src / L.HostsPerEdge, eb = dst / L.HostsPerEdge;
            links[0] = L.HostUp[src];
            if (ea == eb) { links[1] = L.HostDown[dst]; return 2; }
            int a = Ecmp.Pick(src, dst, 0, L.Aggs);
            links[1] = L.EdgeUp[ea * L.Aggs + a];
            int pa = ea / L.EdgesPerPod, pb = eb / L.EdgesPerPod;
            if (pa == pb)
            {
                links[2] = L.EdgeDown[eb * L.Aggs + a];
                links[3] = L.HostDown[dst];
                return 4;
            }
            int c = Ecmp.Pick(src, dst, 1, L.Cores);
            links[2] = L.AggUp[(pa * L.Aggs + a) * L.Cores + c];
            links[3] = L.AggDown[(pb * L.Aggs + a) * L.Cores + c];
            links[4] = L.EdgeDown[eb * L.Aggs + a];
            links[5] = L.HostDown[dst];
            return 6;
        }
    }
}
