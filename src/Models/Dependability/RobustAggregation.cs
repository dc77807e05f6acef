using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>
/// A complete defence: an optional pre-aggregation step followed by an aggregation rule. When the
/// step changes the number of gradients (bucketing), the rule is built for the step's output count,
/// and its precondition is checked against that count.
/// </summary>
public sealed class RobustAggregation
{
    private readonly IPreAggregator? _pre;
    private readonly IAggregator _rule;

    /// <param name="aggregator">A registered aggregator name.</param>
    /// <param name="preAggregation">A registered pre-aggregation name, or null.</param>
    /// <param name="options">Shape, f and rule parameters (for the input count before pre-aggregation).</param>
    /// <param name="rng">Stream for randomised steps (bucketing); unused otherwise.</param>
    /// <exception cref="DependabilitySettingException">Any unknown name or violated precondition.</exception>
    public RobustAggregation(string aggregator, string? preAggregation, AggregatorOptions options, RandomStream rng)
    {
        if (preAggregation is not null)
        {
            _pre = AggregatorRegistry.CreatePreAggregator(preAggregation, options, rng);
            var kind = AggregatorRegistry.Aggregator(aggregator, $"{options.KeyPath}.aggregator");
            if (options.Byzantine >= _pre.OutputCount || !kind.Holds(_pre.OutputCount, options.Byzantine))
                throw new DependabilitySettingException($"{options.KeyPath}.aggregator",
                    $"after {preAggregation} there are n = {_pre.OutputCount} gradients; {aggregator} needs {kind.Requirement} with f = {options.Byzantine}");
            options = options with { Workers = _pre.OutputCount };
        }
        _rule = AggregatorRegistry.Create(aggregator, options);
    }

    public IAggregator Rule => _rule;
    public IPreAggregator? PreAggregation => _pre;
    public string Name => _pre is null ? _rule.Name : $"{_pre.Name} + {_rule.Name}";

    /// <summary>Aggregates one round; allocates nothing.</summary>
    public void Aggregate(GradientMatrix inputs, Span<float> output) =>
        _rule.Aggregate(_pre is null ? inputs : _pre.Apply(inputs), output);
}
