namespace Sim.Models.Network;

/// <summary>What a vertex of the network graph is: a place where data starts and ends (GPU, host,
/// parameter server) or a place it only passes through (switches, NICs).</summary>
public enum NodeKind
{
    Gpu,
    Host,
    ParameterServer,
    Nic,
    Switch,
    NvSwitch,
    PcieSwitch,
}
