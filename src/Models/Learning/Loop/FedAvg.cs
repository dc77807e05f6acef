using Sim.Core.Randomness;

namespace Sim.Models.Learning.Loop;

/// <summary>
/// Federated averaging (McMahan et al., AISTATS 2017): each round the server picks
/// <see cref="ClientsPerRound"/> of the <see cref="LoopConfig.Workers"/> clients at random, each trains
/// the current model for <see cref="LocalSteps"/> steps of <see cref="LoopConfig.Batch"/> examples of its
/// own shard at the (unscaled) learning rate, and the server replaces the model by the clients' models
/// averaged with weights proportional to their shard sizes. A round lasts as long as its slowest client:
/// download, local steps, upload. With one local step on the whole shard it is full-batch gradient
/// descent over the selected clients' data, which the tests check against synchronous SGD.
/// </summary>
public sealed class FedAvg : LoopStrategy
{
    public required int ClientsPerRound { get; init; }
    public required int LocalSteps { get; init; }
    /// <summary>Example indices of each client (one array per client; <see cref="Shards"/>).</summary>
    public required IReadOnlyList<int[]> ClientShards { get; init; }

    public override string Name => $"fedavg (K={ClientsPerRound}, E={LocalSteps})";

    public override LoopOutcome Run(LoopConfig config)
    {
        FederatedChecks.Validate(config, ClientShards, ClientsPerRound, LocalSteps);
        var run = new LoopRun(config);
        int clients = config.Workers, k = ClientsPerRound, p = run.Model.ParameterCount;
        var streams = FederatedChecks.Streams(run, ClientShards);
        var selection = run.Sim.Random("learning.selection");
        var order = Enumerable.Range(0, clients).ToArray();
        var local = new float[p];
        var average = new float[p];
        var batch = new int[config.Batch];
        double transfer = config.Timing.TransferSeconds(p);
        double now = 0;
        run.Begin();
        while (!run.Stopped)
        {
            FederatedChecks.SelectClients(order, k, selection);
            double total = 0;
            for (int i = 0; i < k; i++) total += ClientShards[order[i]].Length;
            Array.Clear(average);
            double slowest = 0;
            for (int i = 0; i < k; i++)
            {
                int c = order[i];
                double busy = FederatedChecks.TrainLocally(run, c, ClientShards[c].Length, streams[c], LocalSteps, local, batch, now);
                slowest = Math.Max(slowest, transfer + busy + transfer);
                float weight = (float)(ClientShards[c].Length / total);
                for (int x = 0; x < p; x++) average[x] += weight * local[x];
            }
            now += slowest;
            run.Replace(average);
            run.CountStaleness(0);
            run.AfterUpdate(now);
        }
        return run.Finish(Name, now);
    }
}

/// <summary>Checks and per-client data streams shared by the federated strategies.</summary>
internal static class FederatedChecks
{
    public static void Validate(LoopConfig config, IReadOnlyList<int[]> shards, int perRound, int localSteps)
    {
        if (shards.Count != config.Workers) throw new ArgumentOutOfRangeException(nameof(shards), shards.Count, $"one shard per client: {config.Workers} clients");
        if (perRound < 1 || perRound > config.Workers) throw new ArgumentOutOfRangeException(nameof(perRound), perRound, $"clients per round must be in 1..{config.Workers}");
        if (localSteps < 1) throw new ArgumentOutOfRangeException(nameof(localSteps), localSteps, "local steps must be >= 1");
        for (int c = 0; c < shards.Count; c++)
            if (shards[c].Length == 0) throw new ArgumentOutOfRangeException(nameof(shards), $"client {c} has no examples");
    }

    /// <summary>This round's k clients: the first k entries of <paramref name="order"/> after a partial
    /// Fisher-Yates shuffle, sorted so clients train in index order.</summary>
    public static void SelectClients(int[] order, int k, Sim.Core.Randomness.RandomStream rng)
    {
        for (int i = 0; i < k; i++) { int j = i + (int)rng.NextBounded((ulong)(order.Length - i)); (order[i], order[j]) = (order[j], order[i]); }
        Array.Sort(order, 0, k);
    }

    /// <summary>Client <paramref name="client"/> trains the current model for <paramref name="steps"/> local steps of
    /// min(batch, shard) examples at the unscaled rate, into <paramref name="local"/>; returns its busy seconds
    /// starting at <paramref name="now"/>.</summary>
    /// <param name="poisoning">For a client that trains on poisoned labels (label flipping, issue #18): the
    /// attack, the model's labelled-gradient hook and a label buffer of at least a batch; null for honest training.</param>
    public static double TrainLocally(LoopRun run, int client, int shardSize, ExampleSampler stream, int steps, float[] local, int[] batch, double now,
        (Sim.Models.Dependability.IDataPoisoning Attack, Sim.Models.Dependability.ILabelledGradientModel Model, int[] Labels)? poisoning = null)
    {
        run.Versions.Current.AsSpan().CopyTo(local);
        double busy = 0;
        int size = Math.Min(run.Config.Batch, shardSize);
        float rate = (float)run.Config.LearningRate;
        for (int step = 0; step < steps; step++)
        {
            busy += run.StepSeconds(client, size, now + busy);
            stream.Next(batch.AsSpan(0, size));
            if (poisoning is var (attack, model, labels))
            {
                for (int i = 0; i < size; i++) labels[i] = attack.PoisonLabel(model.LabelOf(batch[i]), model.Classes);
                run.ComputePoisonedGradient(model, local, batch.AsSpan(0, size), labels.AsSpan(0, size), run.Gradient);
            }
            else run.ComputeGradient(local, batch.AsSpan(0, size), run.Gradient);
            for (int x = 0; x < local.Length; x++) local[x] -= rate * run.Gradient[x];
        }
        return busy;
    }

    /// <summary>One example stream per client, each from its own named random stream.</summary>
    public static ExampleSampler[] Streams(LoopRun run, IReadOnlyList<int[]> shards)
    {
        var streams = new ExampleSampler[shards.Count];
        for (int c = 0; c < shards.Count; c++)
            streams[c] = new ExampleSampler(shards[c], new RandomStream(run.Config.Seed, "learning.client." + c.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        return streams;
    }
}
