namespace Sim.Models.Collectives.Nccl;

/// <summary>
/// The algorithms NCCL's tuner chooses among here: rings (every collective), double binary trees
/// (all-reduce), NVLink SHARP (NVLS: the NVSwitch reduces in the switch, Hopper and later,
/// all-reduce inside one node, and all-gather and reduce-scatter inside one node from NCCL 2.19) and NVLS-tree (beyond one node: NVLS inside each node, a tree of nodes
/// over the network, Hopper NVSwitch systems, NCCL 2.18 on).
/// </summary>
public enum NcclAlgorithm { Ring, Tree, Nvls, NvlsTree }
