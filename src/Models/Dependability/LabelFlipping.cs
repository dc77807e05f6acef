using Sim.Core.Randomness;

namespace Sim.Models.Dependability;

/// <summary>
/// Label flipping, a data-poisoning attack: Byzantine workers train on label C - 1 - y instead of y
/// (the flip used by Allen-Zhu et al., ICLR 2021, and ByzFL's benchmarks). Their gradients are then
/// sent unchanged, so <see cref="Apply"/> does nothing; the training loop calls <see cref="PoisonLabel"/>.
/// </summary>
public sealed class LabelFlipping : IAttack, IDataPoisoning
{
    public string Name => "label-flip";
    public void Apply(GradientMatrix gradients, ReadOnlySpan<int> byzantine, ReadOnlySpan<int> honest, RandomStream rng) { }
    public int PoisonLabel(int label, int classes)
    {
        if ((uint)label >= (uint)classes) throw new ArgumentOutOfRangeException(nameof(label), label, $"labels are 0..{classes - 1}");
        return classes - 1 - label;
    }
}
