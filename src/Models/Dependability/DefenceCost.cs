namespace Sim.Models.Dependability;

/// <summary>
/// The price of a defence on one round of n gradients of d coordinates: its aggregation seconds from
/// the fitted cost model (pre-aggregation step, then the rule on the step's output count), and
/// whether it can run inside an all-reduce (only plain averaging without pre-aggregation can: every
/// other rule needs all n gradients side by side, so they must be gathered to an aggregation server).
/// Byzantine: the f the rule is built for (Bulyan's cost depends on it); null = the f the kernels were
/// timed with (AggregatorTiming.ByzantineFor).
/// </summary>
public sealed record DefenceCost(string Aggregator, string? PreAggregation = null, int BucketSize = 2, int? Byzantine = null)
{
    public string Name => PreAggregation is null ? Aggregator : $"{PreAggregation} + {Aggregator}";

    /// <summary>True when the defence is a sum, which ring/tree all-reduce computes on the way.</summary>
    public bool FitsInAllReduce => PreAggregation is null && AggregatorRegistry.Aggregator(Aggregator).FitsInAllReduce;

    /// <summary>Gradients the rule itself sees.</summary>
    public int RuleInputs(int n) => PreAggregation == "bucketing" ? Bucketing.BucketCount(n, BucketSize) : n;

    /// <summary>Aggregation compute seconds for one round (0 for a defence that runs inside the all-reduce,
    /// whose additions the collective's cost already covers).</summary>
    public double AggregationSeconds(AggregationCostModel costs, int n, long d)
    {
        if (FitsInAllReduce) return 0;
        double t = costs.Seconds(Aggregator, RuleInputs(n), d, byzantine: Byzantine);
        if (PreAggregation is not null) t += costs.Seconds(PreAggregation, n, d);
        return t;
    }

    /// <summary>Whether every part of the estimate lies inside measured sizes.</summary>
    public bool IsMeasured(AggregationCostModel costs, int n, long d) =>
        FitsInAllReduce || (costs.IsMeasured(Aggregator, RuleInputs(n), d) && (PreAggregation is null || costs.IsMeasured(PreAggregation, n, d)));
}
