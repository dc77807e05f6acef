namespace Sim.Models.Network;

/// <summary>
/// Equal-cost multi-path choice, like a toll plaza sending each car to a lane by its licence plate: a
/// deterministic hash of (source, destination, hop) picks among equally short next hops, so one pair
/// always takes the same path (no reordering) while different pairs spread over the fabric.
/// </summary>
public static class Ecmp
{
    /// <summary>Index in [0, choices) for the pair (src, dst) at decision point <paramref name="salt"/>.</summary>
    public static int Pick(int src, int dst, int salt, int choices)
    {
        if (choices <= 1) return 0;
        // SplitMix64 finaliser: cheap, well mixed, identical on every platform.
        ulong z = ((ulong)(uint)src << 32 | (uint)dst) + 0x9E3779B97F4A7C15UL * (ulong)(salt + 1);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z % (ulong)choices);
    }
}
