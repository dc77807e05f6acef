namespace Sim.Scenarios;

/// <summary>
/// Runs a scenario's independent replications in order: replication r uses seed <c>base + r</c> (so a
/// run of n replications repeats the first n of a longer one), reports progress after each, and times
/// the whole loop for the outcome's wall time.
/// </summary>
public static class Replications
{
    /// <summary>The results of <paramref name="count"/> calls of <paramref name="once"/> with seeds
    /// <paramref name="baseSeed"/>, <paramref name="baseSeed"/> + 1, ..., and the seconds they took.</summary>
    public static (IReadOnlyList<T> Results, double WallSeconds) Run<T>(int count, ulong baseSeed, Func<ulong, T> once, IProgress<int>? progress)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var results = new List<T>(count);
        for (int r = 0; r < count; r++)
        {
            results.Add(once(baseSeed + (ulong)r));
            progress?.Report(r + 1);
        }
        return (results, clock.Elapsed.TotalSeconds);
    }
}
