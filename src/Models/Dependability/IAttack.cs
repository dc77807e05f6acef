using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>
/// What Byzantine workers send. Before <see cref="Apply"/>, every row of the round's gradients holds
/// the gradient that worker honestly computed; the attack overwrites the Byzantine rows. Attacks are
/// omniscient, as in the papers that define them: they may read the honest rows (ALIE and IPM use
/// their mean and spread). Honest rows are never changed. Built for a fixed shape; allocation-free.
/// </summary>
public interface IAttack
{
    string Name { get; }
    /// <param name="gradients">All n gradients of the round, Byzantine rows included.</param>
    /// <param name="byzantine">Indices of the Byzantine rows, ascending.</param>
    /// <param name="honest">Indices of the honest rows, ascending; at least one.</param>
    /// <param name="rng">The attack's own random stream (Gaussian noise).</param>
    void Apply(GradientMatrix gradients, ReadOnlySpan<int> byzantine, ReadOnlySpan<int> honest, RandomStream rng);
}

/// <summary>An attack on the training data rather than the gradient (label flipping): the training
/// loop asks it for the label each Byzantine worker trains on, and the resulting gradient is sent
/// unchanged.</summary>
public interface IDataPoisoning
{
    /// <summary>The label a Byzantine worker uses for a sample whose true label is <paramref name="label"/>
    /// among <paramref name="classes"/> classes.</summary>
    int PoisonLabel(int label, int classes);
}
