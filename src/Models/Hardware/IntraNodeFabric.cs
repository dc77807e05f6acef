namespace Sim.Models.Hardware;

/// <summary>
/// How the devices inside one server talk to each other: like the corridors of a house, either every
/// room opens on one central hall (a switch), or some rooms have doors straight into each other (a mesh).
/// </summary>
public enum IntraNodeFabric
{
    /// <summary>One device per node (a CPU host): no intra-node links.</summary>
    None,
    /// <summary>Every GPU has a full-bandwidth port into NVSwitch (DGX A100/H100): any-to-any at full rate.</summary>
    NvSwitch,
    /// <summary>DGX-1's hybrid cube mesh: direct NVLinks between some GPU pairs, some doubled.</summary>
    NvLinkHybridCubeMesh,
    /// <summary>GPUs hang off a PCIe switch tree; each GPU's PCIe port is its intra-node link.</summary>
    PcieSwitch,
}
