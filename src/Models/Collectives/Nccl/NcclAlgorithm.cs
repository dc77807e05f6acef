namespace Sim.Models.Collectives.Nccl;

/// <summary>
/// The algorithms NCCL's tuner chooses among here: rings (every collective), double binary trees
/// (all-reduce) and NVLink SHARP (NVLS: the NVSwitch reduces in the switch, Hopper and later,
/// all-reduce inside one node).
/// </summary>
public enum NcclAlgorithm { Ring, Tree, Nvls }
