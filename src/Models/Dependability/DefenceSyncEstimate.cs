using Sim.Models.Collectives;

namespace Sim.Models.Dependability;

/// <summary>
/// Closed form of one step's gradient synchronisation under a defence, for tables and sweeps over
/// sizes too large to simulate transfer by transfer. A defence that fits in an all-reduce costs the
/// ring all-reduce, 2(n-1) alpha + 2(n-1)/n S beta. Any other gathers to one aggregation server:
/// n gradients of S bytes through the server's link (n S beta + alpha, incast), the aggregation,
/// and the result back through the same link (n S beta + alpha): exactly what
/// <see cref="RobustAggregationSync"/> simulates for one bucket on a star with equal links
/// (tested). S = d x bytes per parameter; alpha is the one-way path latency, beta the inverse
/// link bandwidth.
/// </summary>
public static class DefenceSyncEstimate
{
    public sealed record Breakdown(double CommunicationSeconds, double AggregationSeconds, bool Measured)
    {
        public double TotalSeconds => CommunicationSeconds + AggregationSeconds;
    }

    public static Breakdown For(DefenceCost defence, AggregationCostModel costs, int n, long d, double bytesPerParameter, double alpha, double beta)
    {
        double bytes = d * bytesPerParameter;
        if (defence.FitsInAllReduce) return new(CollectiveCosts.RingAllReduce(n, bytes, alpha, beta), 0, true);
        double oneWay = alpha + n * bytes * beta;
        return new(2 * oneWay, defence.AggregationSeconds(costs, n, d), defence.IsMeasured(costs, n, d));
    }
}
