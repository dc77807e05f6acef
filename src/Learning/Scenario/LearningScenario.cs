using Sim.Core.Randomness;
using Sim.Models.Faults;
using Sim.Models.Learning.Data;
using Sim.Models.Learning.Loop;
using Sim.Scenarios;
using Sim.Scenarios.Yaml;

namespace Sim.Learning.Scenario;

/// <summary>One strategy of a scenario: its label, the strategy and the config it runs with (seed aside).</summary>
public sealed record StrategyRun(string Label, LoopStrategy Strategy, LoopConfig Config);

/// <summary>
/// A validated training-in-the-loop scenario: the data set, the model, and the strategies with their
/// configs. Cross-key rules (a key the strategy kind does not use, clients per round above the clients)
/// are checked here, each error naming file, line and key path.
/// </summary>
public sealed record LearningScenario
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required ulong Seed { get; init; }
    public required int Replications { get; init; }
    public required IGradientModel Model { get; init; }
    public required IReadOnlyList<StrategyRun> Strategies { get; init; }
    public required string Source { get; init; }
    /// <summary>(small, big, pairs) of the noise-scale probe, or null.</summary>
    public (int Small, int Big, int Pairs)? NoiseScaleProbe { get; init; }

    private static readonly string[] Common = ["kind", "label", "workers", "batch", "learning_rate"];
    private static readonly Dictionary<string, (string[] Required, string[] Optional)> KindKeys = new()
    {
        ["sync"] = ([], []),
        ["async"] = ([], []),
        ["ssp"] = (["bound"], []),
        ["local_sgd"] = (["local_steps"], []),
        ["fedavg"] = (["clients_per_round", "local_steps"], ["shards", "attack", "defence"]),
        ["fedbuff"] = (["concurrency", "buffer", "local_steps"], ["server_rate", "shards"]),
        ["byzantine"] = (["defence"], ["attack", "shards"]),
    };

    public static LearningScenario Load(string path) => From(ScenarioDocument.Load(path, LearningScenarioSchema.Root));

    public static LearningScenario Parse(string yaml, string fileName) => From(ScenarioDocument.Parse(yaml, fileName, LearningScenarioSchema.Root));

    private static GaussianBlobs Blobs(ScenarioSection d, ulong seed) =>
        new(d.GetInt("features"), d.GetInt("classes"), d.GetInt("train"), d.GetInt("test"), d.GetDouble("separation"), seed);

    public static LearningScenario From(ScenarioDocument doc)
    {
        var root = doc.Section;
        var errors = new List<ScenarioError>();
        var d = root.GetSection("data");
        var m = root.GetSection("model");
        string kind = m.GetString("kind");
        // Which data keys and model keys each model kind reads; any other given key is an error.
        string[] dataKeys = kind switch
        {
            "cnn" => ["train", "test", "seed", "side", "noise"],
            "transformer" => ["train", "test", "seed", "vocabulary", "sequence"],
            _ => ["train", "test", "seed", "features", "classes", "separation"],
        };
        foreach (var key in LearningScenarioSchema.Data.Fields.Select(f => f.Name))
            if (d.Has(key) && !dataKeys.Contains(key)) errors.Add(d.ErrorAt(key, $"is not used by model.kind {kind} (it reads data.{string.Join(", data.", dataKeys)})"));
        if (m.Has("hidden") && kind != "mlp") errors.Add(m.ErrorAt("hidden", $"is an mlp setting; model.kind is {kind}"));
        if (m.Has("width") && kind != "transformer") errors.Add(m.ErrorAt("width", $"is a transformer setting; model.kind is {kind}"));

        var t = root.GetSection("training");
        var k = root.GetSection("timing");
        IDistribution? jitter = null;
        if (k.Has("jitter"))
        {
            try { jitter = Distributions.Parse(k.GetString("jitter"), Path.GetDirectoryName(Path.GetFullPath(doc.File)) ?? "."); }
            catch (DistributionParseException e) { errors.Add(k.ErrorAt("jitter", e.Message)); }
        }
        if (t.Has("target_accuracy") && !(t.GetDouble("target_accuracy") > 0))
            errors.Add(t.ErrorAt("target_accuracy", "must be above 0 (every model starts there)"));
        if (!t.Has("target_accuracy") && !t.Has("target_loss"))
            errors.Add(root.ErrorAt("training", "give target_accuracy or target_loss: time-to-target needs a target"));
        if (errors.Count > 0) throw new ScenarioException(errors);

        ulong dataSeed = (ulong)d.GetLong("seed");
        IGradientModel model = kind switch
        {
            "softmax" => new SoftmaxRegression(Blobs(d, dataSeed)),
            "mlp" => new TorchMlp(Blobs(d, dataSeed), m.GetInt("hidden")),
            "cnn" => new TorchCnn(new ShapeImages(d.GetInt("side"), d.GetInt("train"), d.GetInt("test"), d.GetDouble("noise"), dataSeed)),
            _ => new TorchTinyTransformer(new MarkovText(d.GetInt("vocabulary"), d.GetInt("sequence"), d.GetInt("train"), d.GetInt("test"), dataSeed), m.GetInt("width")),
        };
        var timing = new LoopTiming
        {
            SecondsPerExample = k.GetDouble("seconds_per_example"), StepOverheadSeconds = k.GetDouble("step_overhead_s"),
            LinkLatencySeconds = k.GetDouble("link_latency_us") * 1e-6, LinkBytesPerSecond = k.GetDouble("link_gbps") * 1e9 / 8,
            Stragglers = new StragglerModel { Jitter = jitter, SlowFraction = k.GetDouble("slow_fraction"), SlowFactor = k.GetDouble("slow_factor") },
        };
        var baseConfig = new LoopConfig
        {
            Model = model, Workers = t.GetInt("workers"), Batch = t.GetInt("batch"), LearningRate = t.GetDouble("learning_rate"),
            ReferenceBatch = t.Has("reference_batch") ? t.GetInt("reference_batch") : null, WarmupUpdates = t.GetInt("warmup_updates"),
            MaxLearningRate = t.Has("max_learning_rate") ? t.GetDouble("max_learning_rate") : null,
            StalenessAwareRate = t.GetBool("staleness_aware_rate"), MaxUpdates = t.GetLong("max_updates"), EvaluateEvery = t.GetInt("evaluate_every"),
            TargetAccuracy = t.Has("target_accuracy") ? t.GetDouble("target_accuracy") : null, TargetLoss = t.Has("target_loss") ? t.GetDouble("target_loss") : null,
            Timing = timing, Seed = (ulong)root.GetLong("seed"),
        };

        var strategies = new List<StrategyRun>();
        var sections = root.GetSections("strategies");
        foreach (var s in sections)
        {
            string sk = s.GetString("kind");
            var (required, optional) = KindKeys[sk];
            foreach (var key in LearningScenarioSchema.Strategy.Fields.Select(f => f.Name))
                if (s.Has(key) && !Common.Contains(key) && !required.Contains(key) && !optional.Contains(key))
                    errors.Add(s.ErrorAt(key, $"is not used by kind {sk}"));
            foreach (var key in required)
                if (!s.Has(key)) errors.Add(s.ErrorAt("kind", $"kind {sk} needs {key}"));
            var config = baseConfig with
            {
                Workers = s.Has("workers") ? s.GetInt("workers") : baseConfig.Workers,
                Batch = s.Has("batch") ? s.GetInt("batch") : baseConfig.Batch,
                LearningRate = s.Has("learning_rate") ? s.GetDouble("learning_rate") : baseConfig.LearningRate,
            };
            if (errors.Count > 0) continue;
            LoopStrategy strategy;
            switch (sk)
            {
                case "sync": strategy = new SynchronousSgd(); break;
                case "async": strategy = new ParameterServerSgd(); break;
                case "ssp": strategy = new ParameterServerSgd { StalenessBound = s.GetInt("bound") }; break;
                case "local_sgd": strategy = new LocalSgd { LocalSteps = s.GetInt("local_steps") }; break;
                case "byzantine":
                    if (Sim.Scenarios.Dependability.DependabilitySettings.LoopStrategy(s, config.Workers, model, baseConfig.Seed, errors) is not { } byzantine) continue;
                    strategy = byzantine;
                    break;
                default:
                    if (s.Has("clients_per_round") && s.GetInt("clients_per_round") > config.Workers)
                    { errors.Add(s.ErrorAt("clients_per_round", $"there are {config.Workers} clients, got {s.GetInt("clients_per_round")}")); continue; }
                    if (s.Has("concurrency") && s.GetInt("concurrency") > config.Workers)
                    { errors.Add(s.ErrorAt("concurrency", $"there are {config.Workers} clients, got {s.GetInt("concurrency")}")); continue; }
                    if (config.Workers > model.TrainingExamples / 2)
                    { errors.Add(s.ErrorAt("workers", $"{config.Workers} clients need at least {2 * config.Workers} training examples for two shards each")); continue; }
                    var rng = new RandomStream(baseConfig.Seed, "learning.shards");
                    var shards = s.Has("shards") && s.GetString("shards") == "non_iid" ? Shards.ByLabel(model, config.Workers, 2, rng) : Shards.Iid(model, config.Workers, rng);
                    // fedavg with attack: or defence: has Byzantine clients and a robust server rule (issue #18).
                    if (sk == "fedavg" && (s.Has("attack") || s.Has("defence")))
                    {
                        if (Sim.Scenarios.Dependability.DependabilitySettings.FederatedLoopStrategy(s, s.GetInt("clients_per_round"), s.GetInt("local_steps"), shards, errors, model) is not { } attacked) continue;
                        strategy = attacked;
                    }
                    else strategy = sk == "fedavg"
                        ? new FedAvg { ClientsPerRound = s.GetInt("clients_per_round"), LocalSteps = s.GetInt("local_steps"), ClientShards = shards }
                        : new FedBuff
                        {
                            Concurrency = s.GetInt("concurrency"), BufferSize = s.GetInt("buffer"), LocalSteps = s.GetInt("local_steps"),
                            ServerRate = s.Has("server_rate") ? s.GetDouble("server_rate") : 1, ClientShards = shards,
                        };
                    break;
            }
            string label = s.Has("label") ? s.GetString("label") : $"{strategy.Name} n={config.Workers} b={config.Batch}";
            strategies.Add(new StrategyRun(label, strategy, config));
        }
        if (root.Has("noise_scale_probe"))
        {
            var p = root.GetSection("noise_scale_probe");
            if (p.GetInt("small") >= p.GetInt("big") || p.GetInt("big") > model.TrainingExamples)
                errors.Add(p.ErrorAt("big", $"need small < big <= {model.TrainingExamples} training examples, got {p.GetInt("small")} and {p.GetInt("big")}"));
        }
        if (errors.Count > 0) throw new ScenarioException(errors);
        return new LearningScenario
        {
            Name = root.GetString("name"), Description = root.Has("description") ? root.GetString("description") : null,
            Seed = baseConfig.Seed, Replications = root.GetInt("replications"), Model = model, Strategies = strategies, Source = doc.File,
            NoiseScaleProbe = root.Has("noise_scale_probe")
                ? (root.GetSection("noise_scale_probe").GetInt("small"), root.GetSection("noise_scale_probe").GetInt("big"), root.GetSection("noise_scale_probe").GetInt("pairs"))
                : null,
        };
    }
}
