using Sim.Models.Learning.Loop;

namespace Sim.Models.Dependability;

/// <summary>
/// Federated averaging with Byzantine clients and a robust server rule, in the training loop (issue
/// #18): each round the server picks <see cref="ClientsPerRound"/> clients at random (the same draw as
/// <see cref="FedAvg"/>), each trains the current model for <see cref="LocalSteps"/> steps on its own
/// shard and reports its update (local model minus the round's model); the attack overwrites the updates
/// of this round's Byzantine participants (f of the K, chosen by <see cref="ByzantineSelection"/>), the
/// defence aggregates the K updates, and the server adds the result to its model. Plain averaging here
/// is the unweighted mean of the updates: FedAvg's weighting when the shards are of equal size. A round
/// lasts as long as its slowest client plus, for a rule other than the mean, the rule's measured time on
/// K updates at the server (<see cref="DefenceCost"/>). Randomness: "attack.selection", "attack" and
/// "defence.bucketing" streams of the run seed besides the loop's own; same seed, same curve. Label
/// flipping runs as real local training on poisoned labels (TorchSharp classifiers only).
/// </summary>
public sealed class ByzantineFedAvg : LoopStrategy
{
    public required int ClientsPerRound { get; init; }
    public required int LocalSteps { get; init; }
    /// <summary>Example indices of each client (one array per client; <see cref="Shards"/>).</summary>
    public required IReadOnlyList<int[]> ClientShards { get; init; }
    /// <summary>Registered attack name ("none" for an honest run).</summary>
    public string Attack { get; init; } = "none";
    /// <summary>The attack's parameters; Workers, Dimension and Byzantine are set per run.</summary>
    public AttackOptions? AttackOptions { get; init; }
    /// <summary>Byzantine clients among each round's <see cref="ClientsPerRound"/>.</summary>
    public int Byzantine { get; init; }
    /// <summary>Redraw which participants are Byzantine every round.</summary>
    public bool ChangesEachRound { get; init; } = true;
    /// <summary>Registered aggregation rule.</summary>
    public string Aggregator { get; init; } = "mean";
    /// <summary>Registered pre-aggregation step, or null.</summary>
    public string? PreAggregation { get; init; }
    /// <summary>Rule parameters; Workers and Dimension are set per run; f is <see cref="Byzantine"/> unless given.</summary>
    public AggregatorOptions? DefenceOptions { get; init; }

    public override string Name => $"fedavg (K={ClientsPerRound}, E={LocalSteps}), {Byzantine} x {Attack}, {(PreAggregation is null ? "" : PreAggregation + " + ")}{Aggregator}";

    /// <exception cref="DependabilitySettingException">a data-poisoning attack on a model without the
    /// poisoned-label hook (<see cref="ByzantineSgd.RequireModelFor"/>).</exception>
    public override LoopOutcome Run(LoopConfig config)
    {
        ByzantineSgd.RequireModelFor(Attack, config.Model);
        FederatedChecks.Validate(config, ClientShards, ClientsPerRound, LocalSteps);
        var run = new LoopRun(config);
        int clients = config.Workers, k = ClientsPerRound, p = run.Model.ParameterCount;
        var streams = FederatedChecks.Streams(run, ClientShards);
        var selection = run.Sim.Random("learning.selection");
        var byzantine = new ByzantineSelection(k, Byzantine, ChangesEachRound, run.Sim.Random("attack.selection"));
        var attack = AttackRegistry.Create(Attack, (AttackOptions ?? new AttackOptions { Workers = k, Dimension = p }) with { Workers = k, Dimension = p, Byzantine = Byzantine });
        var attackRng = run.Sim.Random("attack");
        // Label flipping: a Byzantine participant's local steps use the real gradients of its batches under
        // the poisoned labels; its update is then sent unchanged.
        var poisoning = attack is IDataPoisoning data
            ? (data, (ILabelledGradientModel)run.Model, new int[config.Batch])
            : ((IDataPoisoning, ILabelledGradientModel, int[])?)null;
        var defenceOptions = (DefenceOptions ?? new AggregatorOptions { Workers = k, Dimension = p, Byzantine = Byzantine }) with { Workers = k, Dimension = p };
        var defence = new RobustAggregation(Aggregator, PreAggregation, defenceOptions, run.Sim.Random("defence.bucketing"));
        var cost = new DefenceCost(Aggregator, PreAggregation, defenceOptions.BucketSize ?? 2, defenceOptions.Byzantine);
        double serverSeconds = cost.AggregationSeconds(AggregationCostModel.Measured, k, p);

        var order = Enumerable.Range(0, clients).ToArray();
        var updates = new GradientMatrix(k, p);
        var local = new float[p];
        var aggregate = new float[p];
        var model = new float[p];
        var batch = new int[config.Batch];
        double transfer = config.Timing.TransferSeconds(p);
        double now = 0;
        run.Begin();
        while (!run.Stopped)
        {
            FederatedChecks.SelectClients(order, k, selection);
            var current = run.Versions.Current;
            double slowest = 0;
            for (int i = 0; i < k; i++)
            {
                int c = order[i];
                double busy = FederatedChecks.TrainLocally(run, c, ClientShards[c].Length, streams[c], LocalSteps, local, batch, now,
                    byzantine.IsByzantine(i) ? poisoning : null);
                slowest = Math.Max(slowest, transfer + busy + transfer);
                var row = updates.Row(i);
                for (int x = 0; x < p; x++) row[x] = local[x] - current[x];
            }
            attack.Apply(updates, byzantine.Byzantine, byzantine.Honest, attackRng);
            defence.Aggregate(updates, aggregate);
            byzantine.NextRound();
            for (int x = 0; x < p; x++) model[x] = current[x] + aggregate[x];
            now += slowest + serverSeconds;
            run.Replace(model);
            run.CountStaleness(0);
            run.AfterUpdate(now);
        }
        return run.Finish(Name, now);
    }
}
