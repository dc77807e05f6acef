using Sim.Core;

namespace Sim.Models.Federated;

/// <summary>
/// Regional sorting offices between the phones and head office: with hierarchical aggregation each
/// edge aggregator receives the model from the server once per round and hands it to its own
/// clients, then folds its clients' updates and sends the server a single partial aggregate. The
/// server's NIC then carries E transfers per round instead of thousands. Edge-to-server transfers
/// share the server NIC max-min fairly (like client transfers do without edges), each capped by
/// the edge's backhaul rate. Edges fold client updates at line rate (no edge compute is modelled).
/// </summary>
internal sealed class EdgeTier
{
    private readonly SharedLink _toEdges;
    private readonly SharedLink _fromEdges;
    private readonly double _backhaul;
    private readonly double _modelBytes, _updateBytes;
    private readonly int[] _pushFlow;

    /// <param name="modelArrived">Called with the tag of <see cref="PushModel"/> when the edge has the model.</param>
    /// <param name="aggregateArrived">Called with the tag of <see cref="SendAggregate"/> when the server has it.</param>
    public EdgeTier(Simulation sim, FederatedConfig config, Action<long> modelArrived, Action<long> aggregateArrived)
    {
        Edges = config.EdgeAggregators;
        _pushFlow = new int[Edges];
        Array.Fill(_pushFlow, -1);
        _backhaul = Participations.GbpsToBytes(config.BackhaulGbps);
        _modelBytes = config.ModelBytes;
        _updateBytes = config.EffectiveUpdateBytes;
        _toEdges = new SharedLink(sim, Participations.GbpsToBytes(config.ServerDownlinkGbps), tag => { _pushFlow[EdgeOfTag(tag)] = -1; modelArrived(tag); });
        _fromEdges = new SharedLink(sim, Participations.GbpsToBytes(config.ServerUplinkGbps), aggregateArrived);
    }

    public int Edges { get; }
    /// <summary>Bytes the server sent to edges (models), integrated from the rates.</summary>
    public double BytesToEdges => _toEdges.BytesDelivered;
    /// <summary>Bytes the server received from edges (partial aggregates), integrated from the rates.</summary>
    public double BytesFromEdges => _fromEdges.BytesDelivered;

    /// <summary>Tags carry the round and the edge, so callbacks of an earlier round are recognisable.</summary>
    public long Tag(int round, int edge) => (long)round * Edges + edge;
    public int EdgeOfTag(long tag) => (int)(tag % Edges);
    public int RoundOfTag(long tag) => (int)(tag / Edges);

    public void PushModel(int round, int edge) => _pushFlow[edge] = _toEdges.Start(_modelBytes, _backhaul, Tag(round, edge));

    /// <summary>Stops a model push still in flight (the round closed first).</summary>
    public void AbortPush(int edge)
    {
        if (_pushFlow[edge] < 0) return;
        _toEdges.Abort(_pushFlow[edge]);
        _pushFlow[edge] = -1;
    }

    public void SendAggregate(int round, int edge) => _fromEdges.Start(_updateBytes, _backhaul, Tag(round, edge));
}
