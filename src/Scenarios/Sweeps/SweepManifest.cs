namespace Sim.Scenarios.Sweeps;

/// <summary>
/// The list of runs a sweep consists of, as recorded in its results folder, like the order book a
/// stock-take is checked against: run ids, points, replications, seeds and parameter values.
/// </summary>
public sealed record SweepManifest(string Name, string Fingerprint, IReadOnlyList<string> Parameters, IReadOnlyList<SweepManifest.Entry> Runs)
{
    public sealed record Entry(string RunId, string PointId, int Replication, ulong Seed, IReadOnlyDictionary<string, string> Parameters);
}
