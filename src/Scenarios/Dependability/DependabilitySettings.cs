using Sim.Core.Randomness;
using Sim.Models.Dependability;

namespace Sim.Scenarios.Dependability;

/// <summary>
/// A scenario's attack and defence, read from the `attack:` and `defence:` sections and checked as a
/// whole: every problem (count and fraction both given, more Byzantine workers than workers, a rule's
/// precondition such as Bulyan's n >= 4f + 3, a missing required parameter) becomes a located
/// <see cref="Sim.Scenarios.Yaml.ScenarioError"/>. The attack and defence are built once here at d = 1 to run the
/// registry's own checks, so nothing fails later in the run.
/// </summary>
public sealed record DependabilitySettings
{
    public string? Attack { get; init; }
    public AttackOptions? AttackOptions { get; init; }
    public int ByzantineCount { get; init; }
    public bool ChangesEachRound { get; init; }
    public DefenceCost? Defence { get; init; }
    public AggregatorOptions? DefenceOptions { get; init; }
    /// <summary>The `coding:` section: coded or replicated computation against stragglers, or null.</summary>
    public CodingScheme? Coding { get; init; }

    /// <summary>Reads the sections (null when none is present), adding any problems to <paramref name="errors"/>.
    /// <paramref name="withCoding"/>: the file's schema has a `coding:` section (training scenarios).</summary>
    public static DependabilitySettings? Read(ScenarioSection root, int workers, Training.Modes.ITrainingMode? mode, List<Sim.Scenarios.Yaml.ScenarioError> errors, bool withCoding = false)
    {
        bool coding = withCoding && root.Has("coding");
        if (!root.Has("attack") && !root.Has("defence") && !coding) return null;
        // mode null: training in the loop (`sim learn`), where every strategy gathers its gradients.
        if (root.Has("defence") && mode is { SupportsDefences: false })
            errors.Add(root.ErrorAt("defence", $"defences are simulated for training.mode: {Training.Modes.TrainingModes.NamesWhere(m => m.SupportsDefences)} only (mode is {mode.Name})"));
        int before = errors.Count;
        var settings = new DependabilitySettings();
        int byzantine = 0;
        if (root.Has("attack"))
        {
            var a = root.GetSection("attack");
            string type = a.GetString("type");
            if (a.Has("count") && a.Has("fraction")) errors.Add(a.ErrorAt("fraction", "give count or fraction, not both"));
            else if (!a.Has("count") && !a.Has("fraction") && type != "none") errors.Add(a.ErrorAt("type", $"attack {type} needs count or fraction of Byzantine workers"));
            byzantine = a.Has("count") ? a.GetInt("count") : a.Has("fraction") ? (int)Math.Round(a.GetDouble("fraction") * workers, MidpointRounding.AwayFromZero) : 0;
            if (byzantine >= workers) errors.Add(a.ErrorAt(a.Has("count") ? "count" : "fraction", $"{byzantine} Byzantine workers leave no honest one among {workers} workers"));
            var options = new AttackOptions
            {
                Workers = workers, Dimension = 1, Byzantine = byzantine,
                Scale = a.Has("scale") ? a.GetDouble("scale") : null,
                Sigma = a.Has("sigma") ? a.GetDouble("sigma") : null,
                Epsilon = a.Has("epsilon") ? a.GetDouble("epsilon") : null,
                Z = a.Has("z") ? a.GetDouble("z") : null,
                MimicTarget = a.Has("mimic_target") ? a.GetInt("mimic_target") : null,
            };
            if (options.MimicTarget is { } t && t >= workers) errors.Add(a.ErrorAt("mimic_target", $"there are {workers} workers (0..{workers - 1}), got {t}"));
            if (errors.Count == before) Check(root, errors, () => AttackRegistry.Create(type, options));
            settings = settings with { Attack = type, AttackOptions = options, ByzantineCount = byzantine, ChangesEachRound = a.GetBool("changes_each_round") };
        }
        if (root.Has("defence"))
        {
            var d = root.GetSection("defence");
            int f = d.Has("byzantine") ? d.GetInt("byzantine") : byzantine;
            string pre = d.Has("pre_aggregation") ? d.GetString("pre_aggregation") : null!;
            var options = new AggregatorOptions
            {
                Workers = workers, Dimension = 1, Byzantine = f,
                Selected = d.Has("selected") ? d.GetInt("selected") : null,
                ClippingRadius = d.Has("clipping_radius") ? d.GetDouble("clipping_radius") : null,
                ClippingIterations = d.GetInt("clipping_iterations"),
                BucketSize = d.Has("bucket_size") ? d.GetInt("bucket_size") : null,
                WeiszfeldTolerance = d.GetDouble("tolerance"),
                WeiszfeldMaxIterations = d.GetInt("max_iterations"),
            };
            string rule = d.GetString("aggregator");
            Check(root, errors, () => _ = new RobustAggregation(rule, pre, options, new RandomStream(0)));
            settings = settings with { Defence = new DefenceCost(rule, pre, options.BucketSize ?? 2, f), DefenceOptions = options };
        }
        if (coding) settings = settings with { Coding = ReadCoding(root, workers, mode, settings.Defence, errors) };
        return settings;
    }

    /// <summary>
    /// A `sim learn` strategy of kind byzantine: reads its attack: and defence: keys (as for a training
    /// scenario, errors located at the strategy's keys) and its shards (non_iid: two label-sorted shards per
    /// worker), and returns the training-loop strategy, or null after adding errors.
    /// </summary>
    public static Sim.Models.Learning.Loop.LoopStrategy? LoopStrategy(ScenarioSection strategy, int workers,
        Sim.Models.Learning.Loop.IGradientModel model, ulong seed, List<Sim.Scenarios.Yaml.ScenarioError> errors)
    {
        int before = errors.Count;
        var settings = Read(strategy, workers, null, errors);
        if (settings?.Defence is not { } defence || errors.Count > before) return null;
        int[][]? shards = null;
        if (strategy.Has("shards") && strategy.GetString("shards") == "non_iid")
        {
            if (workers > model.TrainingExamples / 2)
            {
                errors.Add(strategy.ErrorAt("shards", $"{workers} workers need at least {2 * workers} training examples for two shards each"));
                return null;
            }
            shards = Sim.Models.Learning.Loop.Shards.ByLabel(model, workers, 2, new RandomStream(seed, "learning.shards"));
        }
        try
        {
            ByzantineSgd.RequireModelFor(settings.Attack ?? "none", model);
            return new ByzantineSgd(settings.Attack ?? "none", settings.AttackOptions, settings.ByzantineCount, settings.ChangesEachRound,
                defence.Aggregator, defence.PreAggregation, settings.DefenceOptions, shards);
        }
        catch (DependabilitySettingException e)
        {
            int dot = e.KeyPath.IndexOf('.');
            errors.Add(strategy.GetSection(e.KeyPath[..dot]).ErrorAt(e.KeyPath[(dot + 1)..], e.Problem));
            return null;
        }
    }

    /// <summary>
    /// A `sim learn` strategy of kind fedavg with attack: or defence: keys: Byzantine clients among each
    /// round's <paramref name="clientsPerRound"/> (count, fraction and the rule's preconditions checked at
    /// n = K, errors at the strategy's keys) and the server's rule over the round's updates
    /// (<see cref="ByzantineFedAvg"/>); null after adding errors. Label flipping needs a
    /// <paramref name="model"/> with the poisoned-label hook (<see cref="ILabelledGradientModel"/>).
    /// </summary>
    public static Sim.Models.Learning.Loop.LoopStrategy? FederatedLoopStrategy(ScenarioSection strategy, int clientsPerRound, int localSteps,
        IReadOnlyList<int[]> shards, List<Sim.Scenarios.Yaml.ScenarioError> errors, Sim.Models.Learning.Loop.IGradientModel? model = null)
    {
        int before = errors.Count;
        var settings = Read(strategy, clientsPerRound, null, errors);
        if (settings is null || errors.Count > before) return null;
        if (settings.Attack is { } attack && AttackRegistry.Attack(attack).PoisonsData && model is not ILabelledGradientModel)
        {
            errors.Add(strategy.GetSection("attack").ErrorAt("type", $"{attack} poisons training data; {model?.Name ?? "this model"} takes no poisoned labels (the TorchSharp classifiers do)"));
            return null;
        }
        return new ByzantineFedAvg
        {
            ClientsPerRound = clientsPerRound, LocalSteps = localSteps, ClientShards = shards,
            Attack = settings.Attack ?? "none", AttackOptions = settings.AttackOptions, Byzantine = settings.ByzantineCount,
            ChangesEachRound = true, Aggregator = settings.Defence?.Aggregator ?? "mean", PreAggregation = settings.Defence?.PreAggregation,
            DefenceOptions = settings.DefenceOptions,
        };
    }

    /// <summary>The `coding:` section, checked against the mode (data_parallel only), the defence (coding
    /// replaces the all-reduce by its own gather-and-decode) and backup workers (coding already ignores its
    /// s stragglers); null after adding errors.</summary>
    private static CodingScheme? ReadCoding(ScenarioSection root, int workers, Training.Modes.ITrainingMode? mode, DefenceCost? defence, List<Sim.Scenarios.Yaml.ScenarioError> errors)
    {
        var c = root.GetSection("coding");
        string scheme = c.GetString("scheme");
        int before = errors.Count;
        if (mode is null || !mode.SupportsCoding)
            errors.Add(root.ErrorAt("coding", $"coded computation is simulated for training.mode: {Training.Modes.TrainingModes.NamesWhere(m => m.SupportsCoding)} only" + (mode is null ? "" : $" (mode is {mode.Name})")));
        if (defence is { FitsInAllReduce: false })
            errors.Add(root.ErrorAt("coding", $"coding with the robust rule {defence.Name} is not modelled: coding decodes a sum; use defence: mean or drop the defence"));
        if (root.Has("training") && root.GetSection("training").Has("backup_workers") && root.GetSection("training").GetInt("backup_workers") > 0)
            errors.Add(root.GetSection("training").ErrorAt("backup_workers", "give backup workers or coding, not both (coding already waits for the fastest n - s)"));
        string key = scheme == "replication" ? "replication" : "stragglers";
        string other = scheme == "replication" ? "stragglers" : "replication";
        if (c.Has(other)) errors.Add(c.ErrorAt(other, $"is not used by scheme {scheme} (it takes {key})"));
        if (!c.Has(key)) errors.Add(c.ErrorAt("scheme", $"scheme {scheme} needs {key}"));
        if (errors.Count > before) return null;
        try { return new CodingScheme(scheme, workers, c.GetInt(key)); }
        catch (DependabilitySettingException e)
        {
            errors.Add(c.ErrorAt(e.KeyPath[(e.KeyPath.IndexOf('.') + 1)..], e.Problem));
            return null;
        }
    }

    /// <summary>Runs a registry check and turns its error into one located at the key it names: the
    /// key's own line when the file holds it, its section's line otherwise (a missing required key).</summary>
    private static void Check(ScenarioSection root, List<Sim.Scenarios.Yaml.ScenarioError> errors, Action build)
    {
        try { build(); }
        catch (DependabilitySettingException e)
        {
            int dot = e.KeyPath.IndexOf('.');
            errors.Add(dot < 0 ? root.ErrorAt(e.KeyPath, e.Problem) : root.GetSection(e.KeyPath[..dot]).ErrorAt(e.KeyPath[(dot + 1)..], e.Problem));
        }
    }
}
