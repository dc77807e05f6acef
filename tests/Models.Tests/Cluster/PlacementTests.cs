using Sim.Models.Cluster;

namespace Sim.Models.Tests.Cluster;

public class PlacementTests
{
    [Fact]
    public void PackedUsesTheFewestNodesAndBestFit()
    {
        var c = new GpuCluster(4, 8);
        var a = c.Allocate(12, PlacementPolicy.Packed);
        Assert.Equal(2, a.Select(c.NodeOf).Distinct().Count());
        // Node 1 has 4 free; a 3-GPU job goes there (best fit), not to an empty node.
        var b = c.Allocate(3, PlacementPolicy.Packed);
        Assert.All(b, g => Assert.Equal(1, c.NodeOf(g)));
        Assert.Equal(1, c.FragmentedFreeGpus);
    }

    [Fact]
    public void SpreadTakesOneGpuPerNodeAlternatingLeaves()
    {
        var c = new GpuCluster(8, 8, nodesPerLeaf: 4);
        var a = c.Allocate(4, PlacementPolicy.Spread);
        Assert.Equal(4, a.Select(c.NodeOf).Distinct().Count());
        Assert.Equal(2, a.Select(c.LeafOf).Distinct().Count());
        Assert.Equal(28, c.FragmentedFreeGpus);
    }

    [Fact]
    public void TopologyAwareStaysUnderOneLeafWhenOneCanHostTheGang()
    {
        var c = new GpuCluster(8, 8, nodesPerLeaf: 4);
        c.Allocate(20, PlacementPolicy.Packed);            // leaf 0 keeps 12 free
        var a = c.Allocate(16, PlacementPolicy.TopologyAware);
        Assert.Single(a.Select(c.LeafOf).Distinct());      // leaf 1 (32 free); leaf 0 cannot host 16
        var b = c.Allocate(12, PlacementPolicy.TopologyAware);
        Assert.All(b, g => Assert.Equal(0, c.LeafOf(g)));  // best fit: leaf 0 has exactly 12
    }

    [Fact]
    public void AllocateAndReleaseConserveGpus()
    {
        var c = new GpuCluster(3, 4, types: [new GpuType("v100", 1), new GpuType("a100", 2)], nodeTypes: [0, 1, 1]);
        var a = c.Allocate(5, PlacementPolicy.Spread, type: 1);
        Assert.All(a, g => Assert.Equal("a100", c.TypeOfNode(c.NodeOf(g)).Name));
        Assert.Equal(3, c.Free(1));
        Assert.Equal(7, c.FreeGpus);
        Assert.Throws<InvalidOperationException>(() => c.Allocate(4, PlacementPolicy.Packed, type: 1));
        c.Release(a);
        Assert.Equal(12, c.FreeGpus);
        Assert.Throws<InvalidOperationException>(() => c.Release(a));
    }
}
