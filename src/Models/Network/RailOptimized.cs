using Sim.Models.Hardware;

namespace Sim.Models.Network;

/// <summary>
/// NVIDIA's rail-optimised GPU cluster (DGX SuperPOD reference architecture), like an office tower
/// where floor i of every building is joined by its own sky-bridge: inside a server all GPUs meet at
/// the NVSwitch; GPU i of every server has its own NIC cabled to rail switch i (one rail switch per
/// group of <see cref="FabricSpec.LeafDownPorts"/> servers), and all rail switches share a spine layer.
/// Same-rail traffic crosses one rail switch; cross-rail traffic goes rail switch, spine, rail switch.
/// Routing is structural, O(1) per pair.
/// </summary>
public static class RailOptimized
{
    public static Topology Create(int nodes, NodeSpec node, FabricSpec fabric)
    {
        SpecError.RequireAtLeast("cluster.nodeCount", nodes, 1);
        node.Validate("cluster.node");
        fabric.Validate("cluster.fabric");
        if (node.IntraNode != IntraNodeFabric.NvSwitch)
            throw new SpecError("cluster.fabric.kind", $"RailOptimized needs an NVSwitch node, '{node.Name}' has {node.IntraNode}");
        if (node.NicCount != node.DevicesPerNode)
            throw new SpecError("cluster.fabric.kind", $"RailOptimized needs one NIC per GPU, '{node.Name}' has {node.NicCount} NICs for {node.DevicesPerNode} GPUs");

        int g = node.DevicesPerNode, perRail = fabric.LeafDownPorts, groups = (nodes + perRail - 1) / perRail;
        int spines = fabric.UplinksPerLeaf;
        var b = new TopologyBuilder($"rail-optimized({nodes}x {node.Name})");
        var L = new Layout { Gpus = g, NodesPerGroup = perRail, Groups = groups, Spines = spines,
            GpuUp = new int[nodes * g], NicUp = new int[nodes * g], LeafUp = new int[g * groups * spines] };
        var gpu = new int[nodes * g];
        for (int n = 0; n < nodes; n++)
        {
            int nvs = b.AddNode($"node{n}.nvswitch", NodeKind.NvSwitch);
            for (int i = 0; i < g; i++)
            {
                gpu[n * g + i] = b.AddNode($"node{n}.gpu{i}", NodeKind.Gpu);
                b.AddEndpoint(gpu[n * g + i]);
                L.GpuUp[n * g + i] = b.AddCable(gpu[n * g + i], nvs, node.IntraNodeBandwidth, node.IntraNodeLatency);
            }
        }
        var leaf = new int[g * groups];
        for (int r = 0; r < g; r++)
            for (int k = 0; k < groups; k++) leaf[r * groups + k] = b.AddNode($"rail{r}.leaf{k}", NodeKind.Switch);
        for (int n = 0; n < nodes; n++)
            for (int i = 0; i < g; i++)
                L.NicUp[n * g + i] = b.AddCable(gpu[n * g + i], leaf[i * groups + n / perRail], node.NicBandwidth, node.NicLatency);
        // Each rail switch's uplinks carry its servers' NIC bandwidth divided by the oversubscription.
        double uplinkBw = perRail * node.NicBandwidth / (spines * fabric.Oversubscription);
        var spine = new int[spines];
        for (int s = 0; s < spines; s++) spine[s] = b.AddNode($"spine{s}", NodeKind.Switch);
        for (int lf = 0; lf < leaf.Length; lf++)
            for (int s = 0; s < spines; s++)
                L.LeafUp[lf * spines + s] = b.AddCable(leaf[lf], spine[s], uplinkBw, fabric.SwitchLatency);
        return b.Build(_ => new Router(L));
    }

    private sealed class Layout
    {
        public int Gpus, NodesPerGroup, Groups, Spines;
        public int[] GpuUp = [], NicUp = [], LeafUp = [];
    }

    private sealed class Router(Layout L) : IRouter
    {
        public int Route(int src, int dst, Span<int> links)
        {
            if (src == dst) return 0;
            int na = src / L.Gpus, nb = dst / L.Gpus;
            if (na == nb)
            {
                links[0] = L.GpuUp[src]; links[1] = L.GpuUp[dst] + 1;
                return 2;
            }
            int ra = src % L.Gpus, rb = dst % L.Gpus, ka = na / L.NodesPerGroup, kb = nb / L.NodesPerGroup;
            links[0] = L.NicUp[src];
            if (ra == rb && ka == kb) { links[1] = L.NicUp[dst] + 1; return 2; }
            int s = Ecmp.Pick(src, dst, 0, L.Spines);
            links[1] = L.LeafUp[(ra * L.Groups + ka) * L.Spines + s];
            links[2] = L.LeafUp[(rb * L.Groups + kb) * L.Spines + s] + 1;
            links[3] = L.NicUp[dst] + 1;
            return 4;
        }
    }
}
