namespace Sim.Models.Cluster;

/// <summary>Where a gang's GPUs go when it starts (see <see cref="GpuCluster.Allocate"/>).</summary>
public enum PlacementPolicy
{
    /// <summary>Fewest nodes: best-fit node for small jobs, whole free nodes first for large ones.</summary>
    Packed,
    /// <summary>One GPU per node, round-robin over the emptiest nodes, alternating leaf switches (more
    /// NIC bandwidth per GPU and more fault domains, but ring traffic crosses the leaf uplinks).</summary>
    Spread,
    /// <summary>Packed within the best-fitting leaf switch when one can host the whole gang, so ring
    /// traffic never crosses the oversubscribed leaf uplinks; packed across leaves otherwise.</summary>
    TopologyAware,
}
