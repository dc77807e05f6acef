using Sim.Models.Collectives;
using Sim.Models.Network;

namespace Sim.Models.Training;

/// <summary>
/// Gradient all-reduce lowered onto a real collective algorithm (ring, tree, recursive halving-doubling,
/// hierarchical) over a network backend, so buckets contend for links with each other and with
/// whatever else runs on the network.
/// </summary>
public sealed class CollectiveGradientSync : IGradientSync
{
    private readonly INetwork _network;
    private readonly IReadOnlyList<int> _ranks;
    private readonly CollectiveAlgorithm _algorithm;
    private readonly int _gpusPerNode;

    public CollectiveGradientSync(INetwork network, IReadOnlyList<int> ranks, CollectiveAlgorithm algorithm, int gpusPerNode)
    {
        // Fail at construction, not at the first bucket: does this algorithm do all-reduce?
        if (!CollectiveFactory.Supported(CollectiveKind.AllReduce).Contains(algorithm))
            throw new ArgumentException($"all-reduce has no '{algorithm}' algorithm; supported: {string.Join(", ", CollectiveFactory.Supported(CollectiveKind.AllReduce))}");
        _network = network;
        _ranks = ranks;
        _algorithm = algorithm;
        _gpusPerNode = gpusPerNode;
    }

    public int Workers => _ranks.Count;

    public void AllReduce(double bytes, Action<long> onDone, long token) =>
        CollectiveFactory.Create(CollectiveKind.AllReduce, _algorithm, _network, _ranks, bytes, _gpusPerNode).Start(onDone, token);

    public string Describe() => $"{_algorithm} all-reduce over {_ranks.Count} ranks on {_network.GetType().Name} ({_network.Topology.Name})";
}
