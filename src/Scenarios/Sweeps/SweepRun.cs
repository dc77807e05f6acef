using System.Security.Cryptography;
using System.Text;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// One replication of one point, like one numbered sample tube of an experiment: the unit of work
/// that is run, stored and merged, with a seed fixed by the plan.
/// </summary>
public sealed record SweepRun(int Index, SweepPoint Point, int Replication, ulong Seed)
{
    public string Id => $"{Point.Id}-r{Replication}";

    /// <summary>
    /// Seeds come from hashing (sweep seed, point id, replication), so a run's random numbers do not
    /// depend on which shard, thread or order it runs in.
    /// </summary>
    public static ulong DeriveSeed(ulong sweepSeed, string pointId, int replication)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{sweepSeed}/{pointId}/{replication}"));
        return BitConverter.ToUInt64(hash, 0);
    }
}
