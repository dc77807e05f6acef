using Sim.Models.Network;

namespace Sim.Models.Collectives;

/// <summary>
/// Picks the lowering for an (operation, algorithm) pair, like a menu that says which dishes the kitchen
/// makes which way; asking for a combination that does not exist gets an error listing those that do.
/// </summary>
public static class CollectiveFactory
{
    public static Collective Create(CollectiveKind kind, CollectiveAlgorithm algorithm, INetwork network, IReadOnlyList<int> ranks,
        double bytes, int gpusPerNode = 1)
    {
        ranks = ArrangeRanks(kind, algorithm, network.Topology, ranks, gpusPerNode);
        return (kind, algorithm) switch
        {
            // One ring channel per GPU of a node when the ranks fill whole nodes, as NCCL does on DGX systems.
            (CollectiveKind.AllReduce or CollectiveKind.AllGather or CollectiveKind.ReduceScatter, CollectiveAlgorithm.Ring) =>
                gpusPerNode > 1 && ranks.Count > gpusPerNode && ranks.Count % gpusPerNode == 0
                    ? new RingCollective(network, ranks, bytes, kind, RingMode.Aggregated, gpusPerNode, gpusPerNode)
                    : new RingCollective(network, ranks, bytes, kind),
            (CollectiveKind.AllReduce or CollectiveKind.AllGather or CollectiveKind.ReduceScatter, CollectiveAlgorithm.Rhd) =>
                new RecursiveHalvingDoubling(network, ranks, bytes, kind),
            (CollectiveKind.AllReduce, CollectiveAlgorithm.Tree) => new TreeAllReduce(network, ranks, bytes),
            (CollectiveKind.AllReduce, CollectiveAlgorithm.Hierarchical) => new HierarchicalAllReduce(network, ranks, bytes, gpusPerNode),
            (CollectiveKind.Broadcast, CollectiveAlgorithm.Ring) => new PipelinedBroadcast(network, ranks, bytes),
            (CollectiveKind.AllToAll, CollectiveAlgorithm.Direct or CollectiveAlgorithm.Ring) => new AllToAll(network, ranks, bytes),
            (CollectiveKind.SendRecv, _) when ranks.Count == 2 => new SendRecv(network, ranks[0], ranks[1], bytes),
            _ => throw new ArgumentException($"{kind} has no '{algorithm}' algorithm; supported: {string.Join(", ", Supported(kind))}"),
        };
    }

    /// <summary>
    /// Rings (also inside the hierarchical algorithm) follow the node's best ring order, as NCCL's
    /// topology search does; other algorithms keep the caller's order. Shared with the estimator so
    /// that the fast path costs the same rings the simulation runs.
    /// </summary>
    internal static IReadOnlyList<int> ArrangeRanks(CollectiveKind kind, CollectiveAlgorithm algorithm, Topology topology, IReadOnlyList<int> ranks, int gpusPerNode) =>
        algorithm is CollectiveAlgorithm.Ring or CollectiveAlgorithm.Hierarchical && kind != CollectiveKind.Broadcast
            ? RingOrder.Arrange(topology, ranks, gpusPerNode)
            : ranks;

    /// <summary>Algorithms implemented for <paramref name="kind"/>.</summary>
    public static IReadOnlyList<CollectiveAlgorithm> Supported(CollectiveKind kind) => kind switch
    {
        CollectiveKind.AllReduce => [CollectiveAlgorithm.Ring, CollectiveAlgorithm.Tree, CollectiveAlgorithm.Rhd, CollectiveAlgorithm.Hierarchical],
        CollectiveKind.AllGather or CollectiveKind.ReduceScatter => [CollectiveAlgorithm.Ring, CollectiveAlgorithm.Rhd],
        CollectiveKind.Broadcast => [CollectiveAlgorithm.Ring],
        CollectiveKind.AllToAll => [CollectiveAlgorithm.Direct, CollectiveAlgorithm.Ring],
        _ => [CollectiveAlgorithm.Direct],
    };
}
