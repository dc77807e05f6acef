using Sim.Models.Network;

namespace Sim.Models.Collectives;

/// <summary>
/// Two-level all-reduce (as in Horovod's hierarchical mode and NCCL's NVLS/CollNet-style splits), like
/// a company tallying votes: each office first splits the count among its own staff over the fast
/// internal phones (intra-node ring reduce-scatter over NVLink), then staff member g of every office
/// calls their counterparts (g concurrent inter-node ring all-reduces of n/G bytes, one per rail), then
/// each office shares the results internally again (intra-node ring all-gather). Ranks are grouped by
/// node: ranks[k*G .. k*G+G-1] are node k. A phase starts when the previous one has finished everywhere.
/// T = 2 [(G-1) a_i + (G-1)/G n b_i] + 2(N-1) a_e + 2(N-1)/N (n/G) b_e.
/// </summary>
public sealed class HierarchicalAllReduce : Collective
{
    private readonly int _g, _nodes;
    private readonly Action<long> _phaseDone;
    private int _phase, _pending;

    public HierarchicalAllReduce(INetwork network, IReadOnlyList<int> ranks, double bytes, int gpusPerNode)
        : base(network, ranks, bytes)
    {
        if (gpusPerNode < 1 || ranks.Count % gpusPerNode != 0)
            throw new ArgumentException($"gpusPerNode must divide the rank count {ranks.Count}, got {gpusPerNode}", nameof(gpusPerNode));
        _g = gpusPerNode;
        _nodes = ranks.Count / gpusPerNode;
        _phaseDone = PhaseDone;
    }

    protected override void Begin() => StartPhase(0);

    private void StartPhase(int phase)
    {
        _phase = phase;
        if (phase == 3) { Finish(); return; }
        var subs = new List<Collective>();
        if (phase == 1)
        {
            for (int g = 0; g < _g; g++)
            {
                var rail = new int[_nodes];
                for (int k = 0; k < _nodes; k++) rail[k] = Ranks[k * _g + g];
                subs.Add(new RingCollective(Network, rail, Bytes / _g, CollectiveKind.AllReduce));
            }
        }
        else
        {
            var kind = phase == 0 ? CollectiveKind.ReduceScatter : CollectiveKind.AllGather;
            for (int k = 0; k < _nodes; k++)
            {
                var node = new int[_g];
                for (int g = 0; g < _g; g++) node[g] = Ranks[k * _g + g];
                subs.Add(new RingCollective(Network, node, Bytes, kind));
            }
        }
        _pending = subs.Count;
        foreach (var c in subs) c.Start(_phaseDone, phase);
    }

    private void PhaseDone(long phase)
    {
        if (--_pending == 0) StartPhase((int)phase + 1);
    }

    protected override void OnTransfer(long token) =>
        throw new InvalidOperationException("hierarchical all-reduce issues no transfers of its own");
}
