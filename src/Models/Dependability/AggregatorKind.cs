namespace Sim.Models.Dependability;

/// <summary>
/// One registered aggregation rule: its name, what it does, its precondition on (n, f), its cost
/// as a work count W(n, d) in the units that the cost model fits time against, whether it can run
/// inside an all-reduce (only sums can: every other rule needs all n gradients in one place), and a
/// factory.
/// </summary>
public sealed record AggregatorKind(
    string Name,
    string Description,
    // The condition in words, e.g. "n > 2f + 2".
    string Requirement,
    Func<int, int, bool> Holds,
    // The complexity in words, e.g. "O(n^2 d)".
    string Complexity,
    // Work W(n, d) whose measured time per unit the cost model fits.
    Func<double, double, double> Work,
    bool FitsInAllReduce,
    Func<AggregatorOptions, IAggregator> Factory,
    // For rules built from other rules' kernels (Bulyan = Krum's selection + a median-like
    // coordinate pass): the (rule, inputs) parts whose fitted costs add up to this rule's cost, given
    // (n, f); null = fitted from the rule's own timings.
    Func<int, int, (string Rule, int Inputs)[]>? CostParts = null);

/// <summary>One registered pre-aggregation step (see <see cref="IPreAggregator"/>).</summary>
public sealed record PreAggregatorKind(
    string Name,
    string Description,
    string Requirement,
    Func<int, int, bool> Holds,
    string Complexity,
    Func<double, double, double> Work,
    Func<AggregatorOptions, Sim.Core.Randomness.RandomStream, IPreAggregator> Factory);
