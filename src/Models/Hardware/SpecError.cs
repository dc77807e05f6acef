namespace Sim.Models.Hardware;

/// <summary>
/// An invalid hardware or topology description, like a building inspector's note that names the room
/// and the rule broken: <see cref="Path"/> is the key path of the offending field (for example
/// <c>cluster.node.nic.bandwidth</c>) so that a scenario loader can map it back to a file and a line.
/// </summary>
public sealed class SpecError : Exception
{
    public SpecError(string path, string problem) : base($"{path}: {problem}")
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>Key path of the offending field, dotted, with list indices in brackets.</summary>
    public string Path { get; }

    /// <summary>What was wrong and what was expected, without the path.</summary>
    public string Problem { get; }

    /// <summary>Throws unless <paramref name="value"/> is finite and strictly positive.</summary>
    public static void RequirePositive(string path, double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new SpecError(path, $"must be > 0, got {Format(value)}");
    }

    /// <summary>Throws unless <paramref name="value"/> is finite and not negative.</summary>
    public static void RequireNonNegative(string path, double value)
    {
        if (!(value >= 0) || double.IsInfinity(value))
            throw new SpecError(path, $"must be >= 0, got {Format(value)}");
    }

    /// <summary>Throws unless <paramref name="value"/> is at least <paramref name="min"/>.</summary>
    public static void RequireAtLeast(string path, int value, int min)
    {
        if (value < min) throw new SpecError(path, $"must be >= {min}, got {value}");
    }

    internal static string Format(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
