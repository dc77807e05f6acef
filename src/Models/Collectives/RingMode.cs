namespace Sim.Models.Collectives;

/// <summary>How a ring is lowered to transfers, like choosing between sending every lap of a relay
/// separately or the whole race at once; see <see cref="RingCollective"/>.</summary>
public enum RingMode
{
    Aggregated,
    Stepwise,
}
