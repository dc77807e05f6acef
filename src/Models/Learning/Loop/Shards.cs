using Sim.Core.Randomness;

namespace Sim.Models.Learning.Loop;

/// <summary>
/// Splits a model's training examples among federated clients. IID: a seeded shuffle cut into nearly
/// equal parts. Non-IID by label, the "pathological" split of McMahan et al. ("Communication-Efficient
/// Learning of Deep Networks from Decentralized Data", AISTATS 2017, §3): sort the examples by label,
/// cut them into clients × shardsPerClient equal shards and give each client shardsPerClient random
/// shards, so most clients see only a few classes.
/// </summary>
public static class Shards
{
    /// <exception cref="ArgumentOutOfRangeException">more clients than examples.</exception>
    public static int[][] Iid(IGradientModel model, int clients, RandomStream rng)
    {
        int n = model.TrainingExamples;
        if (clients < 1 || clients > n) throw new ArgumentOutOfRangeException(nameof(clients), clients, $"need 1..{n} clients for {n} examples");
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--) { int j = (int)rng.NextBounded((ulong)(i + 1)); (order[i], order[j]) = (order[j], order[i]); }
        return Cut(order, clients);
    }

    /// <exception cref="ArgumentOutOfRangeException">fewer examples than shards.</exception>
    public static int[][] ByLabel(IGradientModel model, int clients, int shardsPerClient, RandomStream rng)
    {
        int n = model.TrainingExamples;
        int shardCount = clients * shardsPerClient;
        if (clients < 1 || shardsPerClient < 1 || shardCount > n)
            throw new ArgumentOutOfRangeException(nameof(clients), $"need 1 <= clients x shards per client <= {n} examples, got {clients} x {shardsPerClient}");
        // Stable sort by label keeps the order deterministic.
        var byLabel = Enumerable.Range(0, n).OrderBy(model.LabelOf).ThenBy(e => e).ToArray();
        var shards = Cut(byLabel, shardCount);
        var pick = Enumerable.Range(0, shardCount).ToArray();
        for (int i = shardCount - 1; i > 0; i--) { int j = (int)rng.NextBounded((ulong)(i + 1)); (pick[i], pick[j]) = (pick[j], pick[i]); }
        var result = new int[clients][];
        for (int c = 0; c < clients; c++)
            result[c] = Enumerable.Range(0, shardsPerClient).SelectMany(s => shards[pick[c * shardsPerClient + s]]).ToArray();
        return result;
    }

    private static int[][] Cut(int[] order, int parts)
    {
        var result = new int[parts][];
        for (int p = 0; p < parts; p++)
        {
            int from = (int)((long)order.Length * p / parts), to = (int)((long)order.Length * (p + 1) / parts);
            result[p] = order[from..to];
        }
        return result;
    }
}
