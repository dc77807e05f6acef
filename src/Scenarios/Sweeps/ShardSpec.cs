using System.Globalization;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// Which slice of a sweep one worker runs, written <c>i/n</c> (0-based), like dealing a deck of cards
/// round-robin to n players: run k goes to shard k mod n, so slices are disjoint, cover every run,
/// and stay balanced whatever the order of the grid.
/// </summary>
public readonly record struct ShardSpec(int Index, int Count)
{
    public static readonly ShardSpec All = new(0, 1);

    public bool Contains(int runIndex) => runIndex % Count == Index;

    public override string ToString() => $"{Index}/{Count}";

    /// <summary>Parses <c>i/n</c>; returns null with the reason when malformed.</summary>
    public static ShardSpec? TryParse(string text, out string? problem)
    {
        problem = null;
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            problem = $"expected a shard as i/n with whole numbers 0 <= i < n (for example 0/4), got '{text}'";
            return null;
        }
        if (count < 1 || index >= count)
        {
            problem = $"expected a shard i/n with 0 <= i < n and n >= 1, got '{text}'";
            return null;
        }
        return new ShardSpec(index, count);
    }
}
