namespace Sim.Models.Dependability;

/// <summary>One registered attack: name, description, whether it poisons data (label flipping) rather
/// than gradients, its required parameters, and a factory.</summary>
public sealed record AttackKind(
    string Name,
    string Description,
    bool PoisonsData,
    // Parameter keys the attack requires (documentation; the factory enforces them).
    IReadOnlyList<string> Requires,
    Func<AttackOptions, IAttack> Factory);
