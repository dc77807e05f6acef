using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Cost;

/// <summary>
/// The most a run may cost without <c>--force</c>, like a spending limit on a card: above it the run
/// is refused before it starts, with the estimate and what dominates it. The defaults keep a run
/// on a laptop: 8 GiB of memory and 10^10 kernel events (hours even on the cheapest backend).
/// </summary>
public sealed record CostBudget(double MaxMemoryBytes, double MaxEvents)
{
    public static CostBudget Default { get; } = new(8.0 * (1L << 30), 1e10);

    /// <summary>No limit (--force).</summary>
    public static CostBudget Unlimited { get; } = new(double.PositiveInfinity, double.PositiveInfinity);

    /// <summary>Refuses <paramref name="cost"/> when it is above the budget.</summary>
    /// <exception cref="ScenarioException">located at the scenario file, naming the estimate and its driver.</exception>
    public void Check(RunCost cost, string file)
    {
        var problems = new List<string>();
        if (!(cost.MemoryBytes <= MaxMemoryBytes)) problems.Add($"about {RunCost.Bytes(cost.MemoryBytes)} of memory, above the budget of {RunCost.Bytes(MaxMemoryBytes)}");
        if (!(cost.Events <= MaxEvents)) problems.Add($"about {RunCost.Format(cost.Events)} events, above the budget of {RunCost.Format(MaxEvents)}");
        if (problems.Count == 0) return;
        throw new ScenarioException(new ScenarioError(new SourceLocation(file, 1, 1), "",
            $"this run would need {string.Join(" and ", problems)} (estimate: {cost}); make it smaller, or pass --force to run it anyway"));
    }
}
