namespace Sim.Models.Hardware;

/// <summary>
/// A whole cluster: a number of identical servers joined by a fabric. Like a street of identical
/// houses: describe one house, say how many, and how the street is laid out.
/// </summary>
public sealed record ClusterSpec
{
    public required string Name { get; init; }
    public required NodeSpec Node { get; init; }
    public required int NodeCount { get; init; }
    public FabricSpec Fabric { get; init; } = new();

    public int DeviceCount => Node.DevicesPerNode * NodeCount;

    /// <summary>
    /// A cluster of <paramref name="nodes"/> copies of <paramref name="node"/> with that machine's usual
    /// fabric when none is given: rail optimised for NVSwitch servers with one NIC per GPU (NVIDIA's
    /// SuperPOD reference architecture), a single switch otherwise (rails need a NIC per GPU). Throws <see cref="SpecError"/> for a bad spec.
    /// </summary>
    public static ClusterSpec Of(NodeSpec node, int nodes, FabricSpec? fabric = null)
    {
        fabric ??= node.IntraNode == IntraNodeFabric.NvSwitch && node.NicCount == node.DevicesPerNode
            ? new FabricSpec { Kind = FabricKind.RailOptimized }
            : new FabricSpec { Kind = FabricKind.SingleSwitch };
        var spec = new ClusterSpec { Name = $"{nodes}x {node.Name}", Node = node, NodeCount = nodes, Fabric = fabric };
        spec.Validate();
        return spec;
    }

    /// <summary>Throws <see cref="SpecError"/> naming the first bad field, under <paramref name="path"/>.</summary>
    public void Validate(string path = "cluster")
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new SpecError(path + ".name", "must not be empty");
        Node.Validate(path + ".node");
        SpecError.RequireAtLeast(path + ".nodeCount", NodeCount, 1);
        Fabric.Validate(path + ".fabric");
    }
}
