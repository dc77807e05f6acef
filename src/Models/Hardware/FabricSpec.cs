namespace Sim.Models.Hardware;

/// <summary>
/// The network between servers, like a road map: one roundabout (single switch), or a hierarchy of
/// local streets and highways (fat trees), where <see cref="Oversubscription"/> says how much narrower
/// the highways are than the sum of the streets feeding them (1 = full bisection bandwidth).
/// </summary>
public sealed record FabricSpec
{
    public FabricKind Kind { get; init; } = FabricKind.SingleSwitch;
    /// <summary>Down-ports per leaf/edge (or rail) switch: how many NICs one leaf serves.</summary>
    public int LeafDownPorts { get; init; } = 32;
    /// <summary>Spine count (two-level, rail-optimised) or aggregation switches per pod (three-level).</summary>
    public int UplinksPerLeaf { get; init; } = 32;
    /// <summary>Edge switches per pod (three-level only).</summary>
    public int EdgesPerPod { get; init; } = 32;
    /// <summary>Core switches per aggregation group (three-level only).</summary>
    public int CoresPerGroup { get; init; } = 32;
    /// <summary>Sum of down-link over sum of up-link bandwidth at the first switch tier (leaf/edge/rail), >= 1.</summary>
    public double Oversubscription { get; init; } = 1.0;
    /// <summary>Latency of one switch-to-switch hop, seconds.</summary>
    public double SwitchLatency { get; init; } = 130e-9;

    public void Validate(string path)
    {
        SpecError.RequireAtLeast(path + ".leafDownPorts", LeafDownPorts, 1);
        SpecError.RequireAtLeast(path + ".uplinksPerLeaf", UplinksPerLeaf, 1);
        SpecError.RequireAtLeast(path + ".edgesPerPod", EdgesPerPod, 1);
        SpecError.RequireAtLeast(path + ".coresPerGroup", CoresPerGroup, 1);
        if (!(Oversubscription >= 1) || double.IsInfinity(Oversubscription))
            throw new SpecError(path + ".oversubscription", $"must be >= 1, got {SpecError.Format(Oversubscription)}");
        SpecError.RequireNonNegative(path + ".switchLatency", SwitchLatency);
    }
}
