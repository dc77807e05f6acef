namespace Sim.Models.Hardware;

/// <summary>
/// One server: its devices, how they are wired together inside the box, and its network cards. Like a
/// house on a street: rooms (devices), corridors (NVLink, NVSwitch or PCIe) and front doors (NICs).
/// Bandwidths are bytes/s in one direction; links are full duplex.
/// </summary>
public sealed record NodeSpec
{
    public required string Name { get; init; }
    public required DeviceSpec Device { get; init; }
    public required int DevicesPerNode { get; init; }
    public required IntraNodeFabric IntraNode { get; init; }
    /// <summary>Per-device intra-node bandwidth, bytes/s per direction (for a mesh: per single link).</summary>
    public double IntraNodeBandwidth { get; init; }
    /// <summary>Latency of one intra-node hop, seconds.</summary>
    public double IntraNodeLatency { get; init; }
    /// <summary>Number of network cards used for inter-node traffic.</summary>
    public required int NicCount { get; init; }
    /// <summary>Bandwidth of one NIC, bytes/s per direction.</summary>
    public required double NicBandwidth { get; init; }
    /// <summary>Latency of one network hop (NIC or switch port to the next device), seconds.</summary>
    public required double NicLatency { get; init; }
    public required string Source { get; init; }
    /// <summary>NVLinks per GPU (12 on A100, 18 on H100, 6 on V100 SXM2); 0 without NVLink.</summary>
    public int NvLinksPerGpu { get; init; }
    /// <summary>Host CPU vendor ("intel", "amd"): NCCL's model charges a per-step network overhead by it.</summary>
    public string HostCpuVendor { get; init; } = "intel";
    /// <summary>How the NICs carry traffic: "infiniband", "roce" or "tcp" (informational; latencies carry the difference).</summary>
    public string NicTransport { get; init; } = "infiniband";

    public void Validate(string path)
    {
        if (string.IsNullOrWhiteSpace(Name)) throw new SpecError(path + ".name", "must not be empty");
        Device.Validate(path + ".device");
        SpecError.RequireAtLeast(path + ".devicesPerNode", DevicesPerNode, 1);
        if (IntraNode == IntraNodeFabric.None && DevicesPerNode != 1)
            throw new SpecError(path + ".intraNode", $"is None but devicesPerNode is {DevicesPerNode}; several devices need an intra-node fabric");
        if (IntraNode == IntraNodeFabric.NvLinkHybridCubeMesh && DevicesPerNode != 8)
            throw new SpecError(path + ".devicesPerNode", $"must be 8 for the NVLink hybrid cube mesh, got {DevicesPerNode}");
        if (IntraNode != IntraNodeFabric.None)
        {
            SpecError.RequirePositive(path + ".intraNode.bandwidth", IntraNodeBandwidth);
            SpecError.RequireNonNegative(path + ".intraNode.latency", IntraNodeLatency);
        }
        SpecError.RequireAtLeast(path + ".nic.count", NicCount, 1);
        if (DevicesPerNode % NicCount != 0 && NicCount % DevicesPerNode != 0)
            throw new SpecError(path + ".nic.count", $"must divide or be a multiple of devicesPerNode ({DevicesPerNode}), got {NicCount}");
        SpecError.RequirePositive(path + ".nic.bandwidth", NicBandwidth);
        SpecError.RequireNonNegative(path + ".nic.latency", NicLatency);
    }
}
