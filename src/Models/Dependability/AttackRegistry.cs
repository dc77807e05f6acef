namespace Sim.Models.Dependability;

/// <summary>The attacks Sim knows, by name; schemas and docs read names and descriptions from here.</summary>
public static class AttackRegistry
{
    public static IReadOnlyList<AttackKind> Attacks { get; } =
    [
        new("none", "all workers honest", false, [], o => new NoAttack()),
        new("sign-flip", "send -scale x the own gradient (scale 1 unless set)", false, [], o => new SignFlipping(o)),
        new("gaussian", "send N(0, sigma^2) noise (Blanchard et al., NeurIPS 2017)", false, ["sigma"], o => new GaussianNoise(o)),
        new("scaled", "send scale x the own gradient", false, ["scale"], o => new ScaledGradient(o)),
        new("alie", "a little is enough: mean - z x std of the honest gradients, z from n and f (Baruch et al., NeurIPS 2019)", false, [], o => new LittleIsEnough(o)),
        new("ipm", "inner-product manipulation: -epsilon x the honest mean (Xie et al., UAI 2019)", false, ["epsilon"], o => new InnerProductManipulation(o)),
        new("mimic", "copy one honest worker's gradient (Karimireddy et al., ICLR 2022)", false, [], o => new Mimic(o)),
        new("label-flip", "train on label C - 1 - y (data poisoning; gradients sent unchanged)", true, [], o => new LabelFlipping()),
    ];

    public static IEnumerable<string> Names => Attacks.Select(a => a.Name);

    /// <exception cref="DependabilitySettingException">Unknown name (the message lists the known ones).</exception>
    public static AttackKind Attack(string name, string keyPath = "attack.type") =>
        Attacks.FirstOrDefault(a => a.Name == name)
        ?? throw new DependabilitySettingException(keyPath, $"unknown attack '{name}'; expected one of {string.Join(", ", Names)}");

    /// <exception cref="DependabilitySettingException">Unknown name or a missing/bad parameter.</exception>
    public static IAttack Create(string name, AttackOptions options)
    {
        var kind = Attack(name, $"{options.KeyPath}.type");
        if (options.Workers < 1) throw new DependabilitySettingException($"{options.KeyPath}.workers", $"need at least 1 worker, got {options.Workers}");
        if (options.Dimension < 1) throw new DependabilitySettingException($"{options.KeyPath}.dimension", $"need at least 1 coordinate, got {options.Dimension}");
        return kind.Factory(options);
    }
}
