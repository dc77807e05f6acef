namespace Sim.Models.Dependability;

/// <summary>
/// An attack's parameters. Those an attack does not use are ignored; a required one that is missing
/// makes the factory throw a <see cref="DependabilitySettingException"/> at "<see cref="KeyPath"/>.key".
/// </summary>
public sealed record AttackOptions
{
    public required int Workers { get; init; }
    public required int Dimension { get; init; }
    /// <summary>Byzantine workers per round (ALIE's formula uses it).</summary>
    public int Byzantine { get; init; }
    /// <summary>Multiplier: sign flipping sends -scale x g (default 1, a plain flip); scaled gradients send scale x g (required).</summary>
    public double? Scale { get; init; }
    /// <summary>Standard deviation of the Gaussian-noise attack's coordinates (required for it).</summary>
    public double? Sigma { get; init; }
    /// <summary>Inner-product manipulation's epsilon: Byzantine workers send -epsilon x the honest mean (required).</summary>
    public double? Epsilon { get; init; }
    /// <summary>ALIE's z; null = Baruch et al.'s z_max from n and f.</summary>
    public double? Z { get; init; }
    /// <summary>The honest worker the mimic attack copies; null = the lowest-indexed honest worker.</summary>
    public int? MimicTarget { get; init; }
    public string KeyPath { get; init; } = "attack";
}
