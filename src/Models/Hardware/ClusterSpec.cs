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

    /// <summary>Throws <see cref="SpecError"/> naming the first bad field, under <paramref name="path"/>.</summary>
    public void Validate(string path = "cluster")
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new SpecError(path + ".name", "must not be empty");
        Node.Validate(path + ".node");
        SpecError.RequireAtLeast(path + ".nodeCount", NodeCount, 1);
        Fabric.Validate(path + ".fabric");
    }
}
