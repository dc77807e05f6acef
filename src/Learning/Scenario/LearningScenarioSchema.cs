using Sim.Scenarios.Schema;
using static Sim.Scenarios.Schema.Schemas;

namespace Sim.Learning.Scenario;

/// <summary>
/// The shape of a training-in-the-loop scenario (<c>sim learn FILE.yaml</c>): a real small model on a
/// generated data set, the shared training settings, the simulated cluster's timing, and a list of
/// strategies to compare, each run for every replication seed. Every key is validated with file, line and
/// key path; keys that a strategy kind does not use are errors.
/// </summary>
public static class LearningScenarioSchema
{
    public static readonly string[] ModelKinds = ["softmax", "mlp", "cnn", "transformer"];
    public static readonly string[] StrategyKinds = ["sync", "async", "ssp", "local_sgd", "fedavg", "fedbuff", "byzantine"];

    public static MapSchema Data { get; } = Map(
        Field.Opt("features", Integer(min: 1, max: 4096), "softmax/mlp (Gaussian blobs): feature dimensions.", "16"),
        Field.Opt("classes", Integer(min: 2, max: 1000), "softmax/mlp: number of classes.", "8"),
        Field.Opt("side", Integer(min: 8, max: 64), "cnn (stroke images): image side in pixels.", "12"),
        Field.Opt("noise", Number(min: 0), "cnn: pixel noise standard deviation (strokes have intensity 1).", "0.5"),
        Field.Opt("vocabulary", Integer(min: 3, max: 1000), "transformer (Markov text): vocabulary size.", "16"),
        Field.Opt("sequence", Integer(min: 2, max: 512), "transformer: tokens per sequence.", "12"),
        Field.Opt("train", Integer(min: 1, max: 1_000_000), "Training examples.", "8192"),
        Field.Opt("test", Integer(min: 1, max: 100_000), "Held-out examples.", "1024"),
        Field.Opt("separation", Positive(), "softmax/mlp: standard deviation of the class centres (noise has 1): smaller is harder.", "0.6"),
        Field.Opt("seed", Integer(min: 0), "Seed of the data set (fixed across replications).", "7"));

    public static MapSchema Model { get; } = Map(
        Field.Opt("kind", Enum(ModelKinds), "softmax: multinomial logistic regression in C# (Gaussian blobs); mlp: two hidden layers (Gaussian blobs); cnn: two conv layers (stroke images); transformer: one-block causal LM (Markov text); the last three in TorchSharp.", "mlp"),
        Field.Opt("hidden", Integer(min: 1, max: 4096), "mlp: hidden width.", "32"),
        Field.Opt("width", Integer(min: 1, max: 1024), "transformer: model width d.", "16"));

    public static MapSchema Training { get; } = Map(
        Field.Req("workers", Integer(min: 1, max: 100_000), "Workers (federated: clients)."),
        Field.Req("batch", Integer(min: 1, max: 1_000_000), "Examples per worker per step."),
        Field.Req("learning_rate", Positive(), "Learning rate at reference_batch examples per update."),
        Field.Opt("reference_batch", Integer(min: 1), "Batch the learning rate is for; updates of G examples use rate x G / reference_batch (linear scaling). Default: batch."),
        Field.Opt("max_learning_rate", Positive(), "Cap on the scaled rate (linear scaling holds up to the largest stable rate)."),
        Field.Opt("warmup_updates", Integer(min: 0), "Updates of linear warm-up from the reference rate to the scaled rate (Goyal et al. 2017).", "0"),
        Field.Opt("staleness_aware_rate", Boolean(), "Parameter server: divide a gradient's rate by its staleness (Zhang et al. 2016).", "false"),
        Field.Req("max_updates", Integer(min: 1, max: 100_000_000), "Update budget (local SGD: worker steps)."),
        Field.Opt("evaluate_every", Integer(min: 1), "Held-out evaluation period, in updates.", "20"),
        Field.Opt("target_accuracy", Number(min: 0, max: 1), "Stop at the first evaluation with this held-out accuracy."),
        Field.Opt("target_loss", Positive(), "Stop at the first evaluation with this held-out loss or less."));

    public static MapSchema Timing { get; } = Map(
        Field.Opt("seconds_per_example", Number(min: 0), "A worker's compute per example, seconds (measured step time / batch).", "1e-4"),
        Field.Opt("step_overhead_s", Number(min: 0), "A worker's fixed compute per step, seconds.", "0"),
        Field.Opt("link_latency_us", Number(min: 0), "One-way latency of a worker's link, microseconds.", "50"),
        Field.Opt("link_gbps", Positive(), "A worker's link bandwidth, Gbit/s.", "10"),
        Field.Opt("jitter", Distribution(), "Per-step compute multiplier, e.g. lognormal(0, 0.2)."),
        Field.Opt("slow_fraction", Fraction(), "Fraction of workers that are persistently slow.", "0"),
        Field.Opt("slow_factor", Number(min: 1), "Compute multiplier of the slow workers.", "1"));

    public static MapSchema Strategy { get; } = Map(
        Field.Req("kind", Enum(StrategyKinds), "sync: synchronous all-reduce SGD; byzantine: synchronous SGD with an attack and a robust aggregator; async: parameter server, no bound; ssp: bounded staleness; local_sgd: averaging every local_steps; fedavg / fedbuff: federated."),
        Field.Opt("label", String(), "Name in tables (default: the strategy's own)."),
        Field.Opt("workers", Integer(min: 1, max: 100_000), "Override training.workers."),
        Field.Opt("batch", Integer(min: 1, max: 1_000_000), "Override training.batch."),
        Field.Opt("learning_rate", Positive(), "Override training.learning_rate."),
        Field.Opt("bound", Integer(min: 0), "ssp: staleness bound s."),
        Field.Opt("local_steps", Integer(min: 1), "local_sgd: steps between averagings; fedavg/fedbuff: client steps."),
        Field.Opt("clients_per_round", Integer(min: 1), "fedavg: clients per round."),
        Field.Opt("concurrency", Integer(min: 1), "fedbuff: clients training at once."),
        Field.Opt("buffer", Integer(min: 1), "fedbuff: deltas per server update."),
        Field.Opt("server_rate", Positive(), "fedbuff: server learning rate."),
        Field.Opt("shards", Enum("iid", "non_iid"), "fedavg/fedbuff/byzantine: iid, or non_iid (two label-sorted shards per client; McMahan et al. 2017)."),
        Field.Opt("attack", Sim.Scenarios.Dependability.DependabilityScenarioSchema.Attack, "byzantine, fedavg: Byzantine workers (clients among each round's clients_per_round) and what they send (docs/dependability.md)."),
        Field.Opt("defence", Sim.Scenarios.Dependability.DependabilityScenarioSchema.Defence, "byzantine: the aggregation rule of synchronous SGD; fedavg: the server's rule over each round's client updates (docs/dependability.md)."));

    public static MapSchema Root { get; } = Map(
        Field.Req("name", String(), "Scenario name (results go to results/NAME unless --out is given)."),
        Field.Opt("description", String(), "Free text."),
        Field.Opt("seed", Integer(min: 0), "Run seed; replication r uses seed + r (initialisation, data order, stragglers).", "1"),
        Field.Opt("replications", Integer(min: 1, max: 1000), "Seeds per strategy (intervals need 2 or more).", "3"),
        Field.Opt("data", Data, "The generated data set."),
        Field.Opt("model", Model, "The model."),
        Field.Req("training", Training, "Settings shared by every strategy."),
        Field.Opt("timing", Timing, "The simulated cluster's step and link times."),
        Field.Req("strategies", List(Strategy, minItems: 1), "Strategies to compare."),
        Field.Opt("noise_scale_probe", Map(
            Field.Opt("small", Integer(min: 1), "Small batch.", "8"),
            Field.Opt("big", Integer(min: 2), "Big batch.", "512"),
            Field.Opt("pairs", Integer(min: 1, max: 100_000), "Gradient pairs.", "200")),
            "Measure the gradient noise scale B_simple (McCandlish et al. 2018) at each strategy's final parameters (first seed)."));

    /// <summary>docs/learning-scenario-schema.md, generated from <see cref="Root"/>.</summary>
    public static string Markdown() => SchemaMarkdown.Write(Root, "Training-in-the-loop scenario files",
        "Every key of a `sim learn FILE.yaml` scenario, generated from the schema that validates it. Unknown keys, wrong types, " +
        "out-of-range values and keys a strategy kind does not use are errors naming the file, line, column and key path (exit code 2). " +
        "Inside a YAML flow mapping (`{...}`) quote distributions, because of the comma. What the strategies do and what the shipped " +
        "scenarios (scenarios/tta-*.yaml) show: docs/time-to-accuracy.md.");
}
