using Sim.Models.Hardware;

namespace Sim.Models.Network;

/// <summary>
/// Turns a <see cref="ClusterSpec"/> (what a purchase order describes) into a network graph (what the
/// cabling looks like): devices, the wiring inside each server, NICs, and the fabric between servers.
/// Regular shapes get structural routers (rail-optimised DGX clusters; fat trees and single switches of
/// one-device hosts); mixed shapes (PCIe boxes, DGX-1 meshes behind a fabric) use the graph router.
/// Endpoint r is device r % devicesPerNode of node r / devicesPerNode.
/// </summary>
public static class ClusterTopology
{
    // DGX-1 (V100) hybrid cube mesh: number of NVLink 2.0 links between GPU pairs, as reported by
    // `nvidia-smi topo -m` on DGX-1V and drawn in NVIDIA's DGX-1 V100 System Architecture white paper:
    // two fully connected quads (0-3, 4-7), GPU i linked to GPU i+4, six links per GPU in total.
    internal static readonly int[,] HybridCubeMeshLinks =
    {
        { 0, 1, 1, 2, 2, 0, 0, 0 },
        { 1, 0, 2, 1, 0, 2, 0, 0 },
        { 1, 2, 0, 2, 0, 0, 1, 0 },
        { 2, 1, 2, 0, 0, 0, 0, 1 },
        { 2, 0, 0, 0, 0, 1, 1, 2 },
        { 0, 2, 0, 0, 1, 0, 2, 1 },
        { 0, 0, 1, 0, 1, 2, 0, 2 },
        { 0, 0, 0, 1, 2, 1, 2, 0 },
    };

    public static Topology Build(ClusterSpec spec)
    {
        spec.Validate();
        var node = spec.Node;
        var f = spec.Fabric;
        if (f.Kind == FabricKind.RailOptimized) return RailOptimized.Create(spec.NodeCount, node, f);
        var kind = node.Device.IsGpu ? NodeKind.Gpu : NodeKind.Host;
        if (node.DevicesPerNode == 1)
        {
            double bw = node.NicBandwidth * node.NicCount;
            return f.Kind switch
            {
                FabricKind.SingleSwitch => SingleSwitch.Create(spec.NodeCount, bw, node.NicLatency, kind),
                FabricKind.FatTree2 => FatTree.TwoLevel(spec.NodeCount, bw, node.NicLatency, f, kind),
                _ => FatTree.ThreeLevel(spec.NodeCount, bw, node.NicLatency, f, kind),
            };
        }

        var b = new TopologyBuilder($"{spec.NodeCount}x {node.Name} ({f.Kind})");
        var nics = new List<int>();
        for (int n = 0; n < spec.NodeCount; n++) AddServer(b, n, node, kind, nics);
        var attach = nics.ToArray();
        switch (f.Kind)
        {
            case FabricKind.SingleSwitch:
                int sw = b.AddNode("switch", NodeKind.Switch);
                foreach (int nic in attach) b.AddCable(nic, sw, node.NicBandwidth, node.NicLatency);
                break;
            case FabricKind.FatTree2: FatTree.AddTwoLevel(b, attach, node.NicBandwidth, node.NicLatency, f); break;
            default: FatTree.AddThreeLevel(b, attach, node.NicBandwidth, node.NicLatency, f); break;
        }
        var topology = b.Build();
        topology.Validate();
        return topology;
    }

    /// <summary>One server's devices, its internal wiring and its NIC vertices (appended to <paramref name="nics"/>).</summary>
    private static void AddServer(TopologyBuilder b, int n, NodeSpec node, NodeKind kind, List<int> nics)
    {
        int g = node.DevicesPerNode;
        var dev = new int[g];
        for (int i = 0; i < g; i++) { dev[i] = b.AddNode($"node{n}.{kind.ToString().ToLowerInvariant()}{i}", kind); b.AddEndpoint(dev[i]); }
        int hub = -1;
        switch (node.IntraNode)
        {
            case IntraNodeFabric.NvSwitch:
                hub = b.AddNode($"node{n}.nvswitch", NodeKind.NvSwitch);
                foreach (int d in dev) b.AddCable(d, hub, node.IntraNodeBandwidth, node.IntraNodeLatency);
                break;
            case IntraNodeFabric.PcieSwitch:
                hub = b.AddNode($"node{n}.pcie", NodeKind.PcieSwitch);
                foreach (int d in dev) b.AddCable(d, hub, node.IntraNodeBandwidth, node.IntraNodeLatency);
                break;
            case IntraNodeFabric.NvLinkHybridCubeMesh:
                for (int i = 0; i < 8; i++)
                    for (int j = i + 1; j < 8; j++)
                        if (HybridCubeMeshLinks[i, j] > 0)
                            b.AddCable(dev[i], dev[j], HybridCubeMeshLinks[i, j] * node.IntraNodeBandwidth, node.IntraNodeLatency);
                break;
        }
        // NICs: behind the PCIe switch for a PCIe box (the GPUs share it); otherwise each NIC serves a
        // contiguous group of devices (DGX-1: one EDR NIC per GPU pair). The device-to-NIC hop stands for
        // the PCIe path, at NIC speed so that the NIC port stays the bottleneck, with no extra latency.
        for (int k = 0; k < node.NicCount; k++)
        {
            int nic = b.AddNode($"node{n}.nic{k}", NodeKind.Nic);
            nics.Add(nic);
            if (node.IntraNode == IntraNodeFabric.PcieSwitch) { b.AddCable(nic, hub, node.NicBandwidth, 0); continue; }
            int per = Math.Max(1, g / node.NicCount);
            for (int i = k * per % g; i < k * per % g + per; i++) b.AddCable(dev[i], nic, node.NicBandwidth, 0);
        }
    }
}
