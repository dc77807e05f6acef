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
        int perNode = RanksPerNode(ranks, gpusPerNode);
        ranks = ArrangeRanks(kind, algorithm, network.Topology, ranks, perNode);
        return (kind, algorithm) switch
        {
            // One ring channel per GPU the group has on each node (each leaving on its own GPU's NIC), as NCCL
            // does on DGX systems: G channels when the ranks fill whole nodes, fewer for a group with fewer GPUs per node.
            (CollectiveKind.AllReduce or CollectiveKind.AllGather or CollectiveKind.ReduceScatter, CollectiveAlgorithm.Ring) =>
                perNode > 1 && ranks.Count > perNode
                    ? new RingCollective(network, ranks, bytes, kind, RingMode.Aggregated, perNode, perNode)
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

    /// <summary>
    /// How many of the group's ranks each node holds, when the ranks come node by node, in increasing node order, in equal blocks (GPU
    /// ranks are numbered node-major: rank / <paramref name="gpusPerNode"/> is the node); 1 otherwise. A
    /// data-parallel group of a tensor- or pipeline-parallel job holds only some GPUs of each node (one per
    /// node under TP 8, two under TP 4 x DP 2 per node): its ring has that many channels, not a node's worth,
    /// because only that many of the node's NICs carry it.
    /// </summary>
    public static int RanksPerNode(IReadOnlyList<int> ranks, int gpusPerNode)
    {
        if (gpusPerNode <= 1 || ranks.Count <= 1) return 1;
        int node = ranks[0] / gpusPerNode, block = 0;
        while (block < ranks.Count && ranks[block] / gpusPerNode == node) block++;
        if (block == 1 || ranks.Count % block != 0) return 1;
        // Blocks on strictly increasing nodes (so no node is visited twice), checked without allocating.
        int previous = -1;
        for (int start = 0; start < ranks.Count; start += block)
        {
            int n = ranks[start] / gpusPerNode;
            if (n <= previous) return 1;
            for (int i = start; i < start + block; i++)
                if (ranks[i] / gpusPerNode != n) return 1;
            previous = n;
        }
        return block;
    }

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
