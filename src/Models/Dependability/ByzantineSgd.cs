using Sim.Core.Randomness;
using Sim.Models.Learning.Loop;

namespace Sim.Models.Dependability;

/// <summary>
/// Synchronous SGD with Byzantine workers and a robust aggregator, in the training loop (issue #18):
/// every step each of the n workers computes a real gradient of the model on its own batch, at the
/// current parameters; the attack overwrites the rows of this round's Byzantine workers (it may read
/// the honest rows); the defence aggregates the n rows; the server applies the result at the
/// learning rate for the global batch. Batches come from one shuffled stream of all examples (IID),
/// or from each worker's own shard (non-IID: <see cref="Shards"/>). Randomness: "attack.selection",
/// "attack" and "defence.bucketing" streams of the run seed, besides the loop's own. Simulated time: a step
/// lasts as long as the slowest worker plus the synchronisation: the loop's all-reduce for plain
/// averaging, else the gather to an aggregation server with the measured aggregation cost
/// (<see cref="DefenceSyncEstimate"/>).
/// Label flipping (<see cref="IDataPoisoning"/>) runs as real training: a Byzantine worker's row is the
/// model's gradient of its batch under the poisoned labels (<see cref="ILabelledGradientModel"/>; other
/// models are refused at "attack.type").
/// With no attack and the mean it is <see cref="SynchronousSgd"/>'s computation (tested).
/// </summary>
public sealed class ByzantineSgd : LoopStrategy
{
    /// <param name="attack">Registered attack name ("none" for an honest run).</param>
    /// <param name="attackOptions">Its parameters; Workers, Dimension and Byzantine are set per run.</param>
    /// <param name="byzantine">Byzantine workers per round.</param>
    /// <param name="changesEachRound">Redraw the Byzantine set every round.</param>
    /// <param name="aggregator">Registered aggregation rule.</param>
    /// <param name="preAggregation">Registered pre-aggregation step, or null.</param>
    /// <param name="defenceOptions">Rule parameters; Workers and Dimension are set per run; f is
    /// <paramref name="byzantine"/> unless the options say otherwise.</param>
    /// <param name="shards">Per-worker example sets (non-IID), or null for one shared IID stream.</param>
    public ByzantineSgd(string attack, AttackOptions? attackOptions, int byzantine, bool changesEachRound,
        string aggregator, string? preAggregation = null, AggregatorOptions? defenceOptions = null, int[][]? shards = null)
    {
        Attack = attack;
        AttackOptions = attackOptions;
        Byzantine = byzantine;
        ChangesEachRound = changesEachRound;
        Aggregator = aggregator;
        PreAggregation = preAggregation;
        DefenceOptions = defenceOptions;
        WorkerShards = shards;
    }

    /// <summary>Refuses a data-poisoning attack on a model that cannot train on other labels.</summary>
    /// <exception cref="DependabilitySettingException">At "attack.type".</exception>
    public static void RequireModelFor(string attack, IGradientModel model)
    {
        if (AttackRegistry.Attack(attack).PoisonsData && model is not ILabelledGradientModel)
            throw new DependabilitySettingException("attack.type", $"{attack} poisons training data; {model.Name} takes no poisoned labels (the TorchSharp classifiers do)");
    }

    public string Attack { get; }
    public AttackOptions? AttackOptions { get; }
    public int Byzantine { get; }
    public bool ChangesEachRound { get; }
    public string Aggregator { get; }
    public string? PreAggregation { get; }
    public AggregatorOptions? DefenceOptions { get; }
    public int[][]? WorkerShards { get; }

    public override string Name => $"sync SGD, {Byzantine} x {Attack}, {(PreAggregation is null ? "" : PreAggregation + " + ")}{Aggregator}";

    public override LoopOutcome Run(LoopConfig config)
    {
        var run = new LoopRun(config);
        int n = config.Workers, b = config.Batch, p = run.Model.ParameterCount;
        if (WorkerShards is { } s && s.Length != n) throw new ArgumentException($"{s.Length} shards for {n} workers");
        var selection = new ByzantineSelection(n, Byzantine, ChangesEachRound, run.Sim.Random("attack.selection"));
        var attack = AttackRegistry.Create(Attack, (AttackOptions ?? new AttackOptions { Workers = n, Dimension = p }) with { Workers = n, Dimension = p, Byzantine = Byzantine });
        var attackRng = run.Sim.Random("attack");
        // Data poisoning (label flipping): Byzantine workers compute the real gradient of their batch under
        // the poisoned labels; the attack then leaves their rows as they are.
        var poisoning = attack as IDataPoisoning;
        RequireModelFor(Attack, run.Model);
        var labelled = run.Model as ILabelledGradientModel;
        var poisoned = new int[b];
        var defenceOptions = (DefenceOptions ?? new AggregatorOptions { Workers = n, Dimension = p, Byzantine = Byzantine }) with { Workers = n, Dimension = p };
        var defence = new RobustAggregation(Aggregator, PreAggregation, defenceOptions, run.Sim.Random("defence.bucketing"));
        var gradients = new GradientMatrix(n, p);
        var update = new float[p];

        ExampleSampler[] streams;
        var batch = new int[n * b];
        if (WorkerShards is null) streams = [new ExampleSampler(Enumerable.Range(0, run.Model.TrainingExamples).ToArray(), run.Sim.Random("learning.data"))];
        else streams = WorkerShards.Select((shard, w) => new ExampleSampler(shard, run.Sim.Random($"learning.data.{w}"))).ToArray();

        // Plain averaging is an all-reduce; any other rule gathers to an aggregation server and runs there
        // (same links as the loop's all-reduce, aggregation time from the measured kernel cost model).
        var cost = new DefenceCost(Aggregator, PreAggregation, defenceOptions.BucketSize ?? 2, defenceOptions.Byzantine);
        double allReduce = cost.FitsInAllReduce
            ? config.Timing.AllReduceSeconds(n, p)
            : DefenceSyncEstimate.For(cost, AggregationCostModel.Measured, n, p, config.Timing.BytesPerParameter,
                config.Timing.LinkLatencySeconds, 1 / config.Timing.LinkBytesPerSecond).TotalSeconds;
        double now = 0;
        run.Begin();
        while (!run.Stopped)
        {
            if (streams.Length == 1) streams[0].Next(batch);
            else for (int w = 0; w < n; w++) streams[w].Next(batch.AsSpan(w * b, b));
            double slowest = 0;
            for (int w = 0; w < n; w++)
            {
                slowest = Math.Max(slowest, run.StepSeconds(w, b, now));
                var mine = batch.AsSpan(w * b, b);
                if (poisoning is not null && selection.IsByzantine(w))
                {
                    for (int i = 0; i < b; i++) poisoned[i] = poisoning.PoisonLabel(run.Model.LabelOf(mine[i]), run.Model.Classes);
                    run.ComputePoisonedGradient(labelled!, run.Versions.Current, mine, poisoned, gradients.Row(w));
                }
                else run.ComputeGradient(run.Versions.Current, mine, gradients.Row(w));
            }
            attack.Apply(gradients, selection.Byzantine, selection.Honest, attackRng);
            defence.Aggregate(gradients, update);
            selection.NextRound();
            now += slowest + allReduce;
            run.ApplyDescent(update, run.RateFor(n * b));
            run.CountStaleness(0);
            run.AfterUpdate(now);
        }
        return run.Finish(Name, now);
    }
}
