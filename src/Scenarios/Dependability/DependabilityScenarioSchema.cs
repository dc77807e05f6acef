using Sim.Models.Dependability;
using Sim.Scenarios.Schema;
using static Sim.Scenarios.Schema.Schemas;

namespace Sim.Scenarios.Dependability;

/// <summary>
/// The `attack:`, `defence:` and `coding:` sections of a scenario. Names come from the attack and aggregator
/// registries, so a new attack or rule appears here and in the generated docs without an edit.
/// Cross-key rules (count or fraction, each rule's precondition on n and f, required parameters)
/// are checked by <see cref="DependabilitySettings.Read"/> with the file, line and key path.
/// </summary>
public static class DependabilityScenarioSchema
{
    public static MapSchema Attack { get; } = Map(
        Field.Req("type", Enum(AttackRegistry.Names.ToArray()), "What Byzantine workers send: " + string.Join("; ", AttackRegistry.Attacks.Select(a => $"{a.Name}: {a.Description}")) + "."),
        Field.Opt("count", Integer(min: 0), "Byzantine workers per round (give count or fraction)."),
        Field.Opt("fraction", Fraction(), "Byzantine workers as a fraction of the workers, rounded half up (give count or fraction)."),
        Field.Opt("changes_each_round", Boolean(), "Draw a new set of Byzantine workers every round (seeded); false: one fixed set.", "false"),
        Field.Opt("scale", Number(), "sign-flip: send -scale x g (default 1); scaled: send scale x g (required)."),
        Field.Opt("sigma", Positive(), "gaussian: standard deviation of each coordinate (required)."),
        Field.Opt("epsilon", Positive(), "ipm: send -epsilon x the honest mean (required)."),
        Field.Opt("z", Number(), "alie: the shift in standard deviations; default: Baruch et al.'s z_max from n and f."),
        Field.Opt("mimic_target", Integer(min: 0), "mimic: the honest worker to copy; default: the lowest-indexed honest worker."));

    public static MapSchema Defence { get; } = Map(
        Field.Req("aggregator", Enum(AggregatorRegistry.AggregatorNames.ToArray()), "Aggregation rule: " + string.Join("; ", AggregatorRegistry.Aggregators.Select(a => $"{a.Name} ({a.Requirement}, {a.Complexity}): {a.Description}")) + "."),
        Field.Opt("pre_aggregation", Enum(AggregatorRegistry.PreAggregatorNames.ToArray()), "Step before the rule: " + string.Join("; ", AggregatorRegistry.PreAggregators.Select(a => $"{a.Name}: {a.Description}")) + "."),
        Field.Opt("byzantine", Integer(min: 0), "f the rule is built to tolerate; default: the attack's Byzantine count (0 without an attack)."),
        Field.Opt("selected", Integer(min: 1), "multi-krum: gradients averaged (m); default n - f."),
        Field.Opt("clipping_radius", Positive(), "centered-clipping: radius tau (required)."),
        Field.Opt("clipping_iterations", Integer(min: 1), "centered-clipping: inner iterations l.", "1"),
        Field.Opt("bucket_size", Integer(min: 1), "bucketing: gradients per bucket s (required with bucketing)."),
        Field.Opt("tolerance", Positive(), "geometric-median: stop when a Weiszfeld step moves less than this fraction of the mean distance.", "1e-6"),
        Field.Opt("max_iterations", Integer(min: 1), "geometric-median: Weiszfeld iteration cap.", "100"));

    public static MapSchema Coding { get; } = Map(
        Field.Req("scheme", Enum(CodingScheme.Schemes.Select(c => c.Name).ToArray()), "Coded or redundant computation: " + string.Join("; ", CodingScheme.Schemes.Select(c => $"{c.Name}: {c.Description}")) + "."),
        Field.Opt("stragglers", Integer(min: 1), "cyclic, fractional: stragglers tolerated s (required)."),
        Field.Opt("replication", Integer(min: 1), "replication: copies r of each group's work, odd, dividing the workers (required)."));
}
