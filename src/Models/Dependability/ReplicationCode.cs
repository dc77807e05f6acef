using System.Runtime.InteropServices;

namespace Sim.Models.Dependability;

/// <summary>
/// DRACO-style repetition (Chen, Wang, Charles and Papailiopoulos, "DRACO: Byzantine-resilient
/// Distributed Training via Redundant Gradients", ICML 2018): the n workers form n / r groups of r;
/// every worker of a group computes the gradient of the same r partitions (an r-fold load), and the
/// master takes, per group, the message that a strict majority of the group sent bit for bit. Honest
/// replicas compute identical bits (deterministic kernels), so up to (r - 1) / 2 Byzantine workers
/// per group are outvoted and the decoded sum is exactly the honest one. Decoding costs at most
/// r(r - 1)/2 comparisons of d coordinates per group, O(n r d) in all. Requires r | n and r odd.
/// </summary>
public sealed class ReplicationCode
{
    public ReplicationCode(int workers, int replication, string keyPath = "coding")
    {
        if (replication < 1 || replication % 2 == 0)
            throw new DependabilitySettingException($"{keyPath}.replication", $"must be odd and >= 1 so that a strict majority exists, got {replication}");
        if (workers % replication != 0)
            throw new DependabilitySettingException($"{keyPath}.replication", $"must divide the number of workers, got n = {workers}, r = {replication}");
        Workers = workers;
        Replication = replication;
    }

    public int Workers { get; }
    /// <summary>r: copies of each group's work.</summary>
    public int Replication { get; }
    public int Groups => Workers / Replication;
    /// <summary>Byzantine workers tolerated in every group: (r - 1) / 2.</summary>
    public int ToleratedPerGroup => (Replication - 1) / 2;

    /// <summary>output = sum over groups of the group's majority message. Messages of workers with
    /// received[i] false (stragglers) do not vote.</summary>
    /// <exception cref="InvalidOperationException">A group has no strict majority of its r members
    /// (too many Byzantine or missing workers).</exception>
    public void Decode(GradientMatrix messages, ReadOnlySpan<bool> received, Span<float> output)
    {
        if (messages.Count != Workers || received.Length != Workers) throw new ArgumentException($"need {Workers} messages and flags");
        output.Clear();
        int majority = Replication / 2 + 1;
        for (int g = 0; g < Groups; g++)
        {
            int winner = -1;
            for (int a = g * Replication; a < (g + 1) * Replication && winner < 0; a++)
            {
                if (!received[a]) continue;
                var candidate = MemoryMarshal.AsBytes(messages.Row(a));
                int votes = 0;
                for (int b = g * Replication; b < (g + 1) * Replication; b++)
                    if (received[b] && candidate.SequenceEqual(MemoryMarshal.AsBytes(messages.Row(b)))) votes++;
                if (votes >= majority) winner = a;
            }
            if (winner < 0) throw new InvalidOperationException($"DRACO group {g} (workers {g * Replication}..{(g + 1) * Replication - 1}) has no strict majority of {majority} identical messages");
            VectorMath.AddScaled(output, messages.Row(winner), 1f);
        }
    }
}
