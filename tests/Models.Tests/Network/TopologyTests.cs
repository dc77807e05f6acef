using Sim.Models.Hardware;
using Sim.Models.Network;

namespace Sim.Models.Tests.Network;

public class TopologyTests
{
    [Fact]
    public void Two_level_fat_tree_paths_and_oversubscribed_uplinks()
    {
        var f = new FabricSpec { Kind = FabricKind.FatTree2, LeafDownPorts = 4, UplinksPerLeaf = 2, Oversubscription = 2, SwitchLatency = 1e-7 };
        var t = FatTree.TwoLevel(16, 1e10, 1e-6, f);
        t.Validate();
        Assert.Equal(2, TestTopologies.PathLength(t, 0, 3));  // same leaf
        Assert.Equal(4, TestTopologies.PathLength(t, 0, 4));  // via a spine
        // Uplink capacity: 4 hosts * 10 GB/s / (2 spines * 2) = 10 GB/s each.
        Assert.Equal(1e10, t.PathBandwidth(0, 4));
        Assert.Equal(2e-6 + 2e-7, t.PathLatency(0, 5), 15);
        for (int a = 0; a < 16; a++)
            for (int b = 0; b < 16; b++) TestTopologies.AssertValidPath(t, a, b);
    }

    [Fact]
    public void Three_level_fat_tree_routes_through_core_only_between_pods()
    {
        var f = new FabricSpec { Kind = FabricKind.FatTree3, LeafDownPorts = 2, EdgesPerPod = 2, UplinksPerLeaf = 2, CoresPerGroup = 2 };
        var t = FatTree.ThreeLevel(16, 1e10, 1e-6, f);
        t.Validate();
        Assert.Equal(2, TestTopologies.PathLength(t, 0, 1));
        Assert.Equal(4, TestTopologies.PathLength(t, 0, 2));  // same pod, other edge
        Assert.Equal(6, TestTopologies.PathLength(t, 0, 4));  // other pod
        for (int a = 0; a < 16; a++)
            for (int b = 0; b < 16; b++) TestTopologies.AssertValidPath(t, a, b);
    }

    [Fact]
    public void Ecmp_is_deterministic_and_spreads_pairs_over_spines()
    {
        var f = new FabricSpec { Kind = FabricKind.FatTree2, LeafDownPorts = 64, UplinksPerLeaf = 8 };
        var t = FatTree.TwoLevel(128, 1e10, 1e-6, f);
        var used = new int[t.LinkCount];
        Span<int> p1 = stackalloc int[Topology.MaxPathLength], p2 = stackalloc int[Topology.MaxPathLength];
        for (int a = 0; a < 64; a++)
            for (int b = 64; b < 128; b++)
            {
                t.Route(a, b, p1); t.Route(a, b, p2);
                Assert.Equal(p1[1], p2[1]);
                used[p1[1]]++;
            }
        // 4096 pairs over leaf 0's 8 uplinks: each gets a fair part (binomial sd ~ 21 around 512).
        var leaf0Uplinks = used.Where(c => c > 0).ToArray();
        Assert.Equal(8, leaf0Uplinks.Length);
        Assert.All(leaf0Uplinks, c => Assert.InRange(c, 412, 612));
    }

    [Fact]
    public void Rail_optimized_keeps_same_rail_traffic_on_its_rail()
    {
        var spec = HardwarePresets.Cluster("dgx-a100", 4, new FabricSpec { Kind = FabricKind.RailOptimized, LeafDownPorts = 2, UplinksPerLeaf = 4 });
        var t = ClusterTopology.Build(spec);
        t.Validate();
        Assert.Equal(32, t.EndpointCount);
        Assert.Equal(2, TestTopologies.PathLength(t, 0, 7));    // NVSwitch
        Assert.Equal(300e9, t.PathBandwidth(0, 7));
        Assert.Equal(2, TestTopologies.PathLength(t, 3, 11));   // rail 3, same rail group
        Assert.Equal(25e9, t.PathBandwidth(3, 11));
        Assert.Equal(4, TestTopologies.PathLength(t, 3, 19));   // rail 3, other rail group: via spine
        Assert.Equal(4, TestTopologies.PathLength(t, 3, 12));   // other rail: via spine
        for (int a = 0; a < 32; a++)
            for (int b = 0; b < 32; b++) TestTopologies.AssertValidPath(t, a, b);
    }

    [Theory]
    [InlineData("p100-pcie-8x", FabricKind.SingleSwitch)]
    [InlineData("dgx1-v100", FabricKind.FatTree2)]
    [InlineData("dgx-h100", FabricKind.FatTree3)]
    [InlineData("cpu-host", FabricKind.FatTree2)]
    public void Every_preset_builds_a_connected_routable_cluster(string preset, FabricKind kind)
    {
        var fabric = new FabricSpec { Kind = kind, LeafDownPorts = 2, UplinksPerLeaf = 2, EdgesPerPod = 2, CoresPerGroup = 2 };
        var t = ClusterTopology.Build(HardwarePresets.Cluster(preset, 3, fabric));
        t.Validate();
        for (int a = 0; a < t.EndpointCount; a++)
            for (int b = 0; b < t.EndpointCount; b++) TestTopologies.AssertValidPath(t, a, b);
    }

    [Fact]
    public void P100_boxes_share_one_ethernet_nic_behind_pcie()
    {
        var spec = HardwarePresets.Cluster("p100-pcie-8x", 2);
        var t = ClusterTopology.Build(spec);
        Assert.Equal(16, t.EndpointCount);
        Assert.Equal(spec.Node.IntraNodeBandwidth, t.PathBandwidth(0, 7)); // GPU - PCIe switch - GPU
        Assert.Equal(2, TestTopologies.PathLength(t, 0, 7));
        Assert.Equal(25e9 / 8, t.PathBandwidth(0, 8));                   // the 25 GbE NIC is the bottleneck
        Assert.Equal(2 * 1e-6 + 2 * 5e-6, t.PathLatency(0, 8), 15);      // two PCIe hops, two TCP NIC hops
        // All eight GPUs of a box leave through the same NIC up-link.
        var path = new int[Topology.MaxPathLength];
        var first = Enumerable.Range(0, 8).Select(g => { t.Route(g, 8 + g, path); return path[2]; }).Distinct().ToArray();
        Assert.Single(first);
        Assert.Equal(NodeKind.Nic, t.NodeKindOf(t.LinkFrom(first[0])));
    }

    [Fact]
    public void Dgx1_mesh_uses_direct_double_links_and_two_hops_otherwise()
    {
        var t = ClusterTopology.Build(HardwarePresets.Cluster("dgx1-v100", 1));
        Assert.Equal(1, TestTopologies.PathLength(t, 0, 3));
        Assert.Equal(50e9, t.PathBandwidth(0, 3));   // two NVLinks
        Assert.Equal(25e9, t.PathBandwidth(0, 1));   // one NVLink
        Assert.Equal(2, TestTopologies.PathLength(t, 0, 5)); // not neighbours
        for (int i = 0; i < 8; i++)
        {
            int links = 0;
            for (int j = 0; j < 8; j++) links += ClusterTopology.HybridCubeMeshLinks[i, j];
            Assert.Equal(6, links); // six NVLink 2.0 ports per V100
        }
    }

    [Fact]
    public void Disconnected_graph_and_bad_links_are_named()
    {
        var b = new TopologyBuilder("broken");
        int a = b.AddNode("a", NodeKind.Host), c = b.AddNode("c", NodeKind.Host), s = b.AddNode("s", NodeKind.Switch);
        b.AddEndpoint(a); b.AddEndpoint(c);
        b.AddCable(a, s, 1e9, 0);
        var e = Assert.Throws<SpecError>(() => b.Build().Validate());
        Assert.Contains("disconnected", e.Message);
        Assert.Contains("'c'", e.Message);

        b.AddCable(c, s, -5, 0);
        var e2 = Assert.Throws<SpecError>(() => b.Build().Validate());
        Assert.Equal("topology.links[2].bandwidth: must be > 0, got -5", e2.Message);

        Assert.Equal("fabric.hostBandwidth", Assert.Throws<SpecError>(() => SingleSwitch.Create(4, 0, 0)).Path);
    }

    [Fact]
    public void Rail_optimized_rejects_nodes_without_a_nic_per_gpu()
    {
        var e = Assert.Throws<SpecError>(() => ClusterTopology.Build(HardwarePresets.Cluster("dgx1-v100", 2, new FabricSpec { Kind = FabricKind.RailOptimized })));
        Assert.Equal("cluster.fabric.kind", e.Path);
    }
}
