namespace Sim.Models.Collectives;

/// <summary>The collective operations of NCCL/MPI: what the group of ranks wants done with its buffers,
/// like the kinds of group errands (everyone adds up, everyone shares, one tells all).</summary>
public enum CollectiveKind
{
    AllReduce,
    AllGather,
    ReduceScatter,
    Broadcast,
    AllToAll,
    SendRecv,
}
