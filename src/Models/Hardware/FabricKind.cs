namespace Sim.Models.Hardware;

/// <summary>Shape of the network between servers, like the street plan of a town: one square, a
/// grid of streets and avenues, or one avenue per floor number (rails).</summary>
public enum FabricKind
{
    /// <summary>All NICs on one non-blocking switch.</summary>
    SingleSwitch,
    /// <summary>Leaf-spine (two-level folded Clos).</summary>
    FatTree2,
    /// <summary>Edge-aggregation-core (three-level folded Clos, k-ary fat tree style pods).</summary>
    FatTree3,
    /// <summary>GPU i of every node on rail switch i; rails joined by a spine layer.</summary>
    RailOptimized,
}
