using Sim.Core.Randomness;
using Sim.Models.Federated;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Federated;

/// <summary>A federated scenario read from a validated file: the population (loaded or generated) and
/// the protocol configuration, with cross-key checks naming file, line and key path.</summary>
public sealed record FederatedScenario
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required ulong Seed { get; init; }
    public required int Replications { get; init; }
    public required FederatedConfig Config { get; init; }
    /// <summary>Builds the population for a replication's seed (a trace ignores the seed).</summary>
    public required Func<ulong, ClientPopulation> Population { get; init; }
    public required string PopulationDescription { get; init; }
    /// <summary>Clients the population will hold (a trace: an upper bound from its size), for the
    /// cost estimate made before the run.</summary>
    public long EstimatedClients { get; init; }
    public bool WriteReport { get; init; } = true;
    public required string Source { get; init; }

    public static FederatedScenario Load(string path) => From(ScenarioDocument.Load(path, FederatedScenarioSchema.Root));

    public static FederatedScenario Parse(string yaml, string fileName) => From(ScenarioDocument.Parse(yaml, fileName, FederatedScenarioSchema.Root));

    public static FederatedScenario From(ScenarioDocument doc)
    {
        var root = doc.Section;
        var errors = new List<ScenarioError>();
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(doc.File)) ?? ".";
        IDistribution Dist(ScenarioSection s, string key, IDistribution fallback)
        {
            if (!s.Has(key)) return fallback;
            try { return Distributions.Parse(s.GetString(key), baseDir); }
            catch (DistributionParseException e) { errors.Add(s.ErrorAt(key, e.Message)); return fallback; }
        }

        var pop = root.GetSection("population");
        Func<ulong, ClientPopulation>? population = null;
        int? knownClients = null;
        string populationText = "";
        long estimatedClients = 0;
        if (pop.Has("trace") == pop.Has("synthetic"))
            errors.Add(root.ErrorAt("population", "give exactly one of population.trace or population.synthetic"));
        else if (pop.Has("trace"))
        {
            string path = pop.GetString("trace");
            string full = Path.IsPathRooted(path) ? path : Path.Combine(baseDir, path);
            if (!File.Exists(full))
            {
                // Scenarios shipped under scenarios/ name traces relative to the repository root too.
                string alt = Path.Combine(baseDir, "..", path);
                if (File.Exists(alt)) full = Path.GetFullPath(alt);
                else errors.Add(pop.ErrorAt("trace", $"file not found: {full}"));
            }
            populationText = $"device trace {path}";
            // A trace line holds one client in at least ~20 characters; the reader caps the count.
            estimatedClients = File.Exists(full) ? Math.Min(new FileInfo(full).Length / 20 + 1, new TraceLimits().MaxClients) : 0;
            var fixedPath = full;
            // Read once now, so that a malformed trace or one with too few clients is refused before any
            // simulation (located), not in the middle of a run.
            // The population does not depend on the seed and runs only read it, so every replication
            // (and sweep point) shares the one read here.
            if (errors.Count == 0)
            {
                var loaded = DeviceTraceReader.Read(fixedPath);
                knownClients = loaded.Count;
                population = _ => loaded;
            }
        }
        else
        {
            var s = pop.GetSection("synthetic");
            var d = new PopulationSpec();
            var spec = d with
            {
                SecondsPerSample = Dist(s, "seconds_per_sample", d.SecondsPerSample),
                DownlinkMbps = Dist(s, "downlink_mbps", d.DownlinkMbps),
                UplinkMbps = Dist(s, "uplink_mbps", d.UplinkMbps),
                Samples = Dist(s, "samples", d.Samples),
                AlwaysAvailableFraction = s.GetDouble("always_available_fraction"),
                NightStartHour = Dist(s, "night_start_hour", d.NightStartHour),
                NightHours = Dist(s, "night_hours", d.NightHours),
                DaySessionProbability = s.GetDouble("day_session_probability"),
                DayStartHour = Dist(s, "day_start_hour", d.DayStartHour),
                DayHours = Dist(s, "day_hours", d.DayHours),
                TimezoneSpreadHours = s.GetDouble("timezone_spread_hours"),
            };
            try { spec.Validate(); } catch (ArgumentException e) { errors.Add(pop.ErrorAt("synthetic", e.Message)); }
            int clients = s.GetInt("clients");
            estimatedClients = clients;
            knownClients = clients;
            populationText = $"synthetic, {clients:N0} clients";
            population = seed => SyntheticPopulation.Generate(spec, clients, seed);
        }

        var f = root.GetSection("federated");
        var curve = f.Has("accuracy_curve") ? ReadCurve(f, errors) : null;
        var config = new FederatedConfig
        {
            Mode = f.GetString("mode") == "async" ? AggregationMode.Async : AggregationMode.Sync,
            Rounds = f.GetInt("rounds"),
            ClientsPerRound = f.GetInt("clients_per_round"),
            OverCommit = f.GetDouble("over_commit"),
            DeadlineSeconds = f.Has("deadline_s") ? f.GetDouble("deadline_s") : double.PositiveInfinity,
            MinUpdates = f.Has("min_updates") ? f.GetInt("min_updates") : null,
            CancelStragglers = f.GetBool("cancel_stragglers"),
            Selection = f.GetString("selection") == "fastest" ? SelectionPolicy.Fastest : SelectionPolicy.Random,
            SelectionPoolFactor = f.GetDouble("selection_pool_factor"),
            ExplorationFraction = f.GetDouble("exploration_fraction"),
            LocalEpochs = f.GetInt("local_epochs"),
            ModelBytes = f.GetDouble("model_bytes"),
            UpdateBytes = f.Has("update_bytes") ? f.GetDouble("update_bytes") : null,
            ComputeJitter = Dist(f, "compute_jitter", new Deterministic(1)),
            ServerDownlinkGbps = f.GetDouble("server_downlink_gbps"),
            ServerUplinkGbps = f.GetDouble("server_uplink_gbps"),
            AggregationSecondsPerUpdate = f.GetDouble("aggregation_s_per_update"),
            AggregatorCores = f.GetInt("aggregator_cores"),
            EdgeAggregators = f.GetInt("edge_aggregators"),
            EdgeDownlinkGbps = f.GetDouble("edge_downlink_gbps"),
            EdgeUplinkGbps = f.GetDouble("edge_uplink_gbps"),
            BackhaulGbps = f.GetDouble("backhaul_gbps"),
            RetryIntervalSeconds = f.GetDouble("retry_interval_s"),
            StartTimeSeconds = f.GetDouble("start_time_s"),
            MaxTimeSeconds = f.GetDouble("max_time_s"),
            Concurrency = f.GetInt("concurrency"),
            BufferSize = f.GetInt("buffer_size"),
            MaxStaleness = f.Has("max_staleness") ? f.GetInt("max_staleness") : null,
            AccuracyCurve = curve,
            TargetAccuracy = f.Has("target_accuracy") ? f.GetDouble("target_accuracy") : null,
        };
        // Byzantine clients are counted among the K updates a round aggregates; the robust rule runs on those K.
        var dependability = Sim.Scenarios.Dependability.DependabilitySettings.Read(root, config.ClientsPerRound, null, errors);
        if (dependability?.Defence is { FitsInAllReduce: false } defence)
        {
            if (config.Mode != AggregationMode.Sync || config.EdgeAggregators > 0)
                errors.Add(root.ErrorAt("defence", $"{defence.Name} needs a round's updates side by side at one server: use federated.mode: sync without edge_aggregators"));
            else config = config with { Defence = defence };
        }
        try { config.Validate(); }
        catch (ArgumentException e) { errors.Add(root.ErrorAt("federated", e.Message)); }
        if (knownClients is int available && config.ClientsPerRound > available)
            errors.Add(f.ErrorAt("clients_per_round", $"{config.ClientsPerRound} exceeds the population of {available} clients"));
        if (config.TargetAccuracy is not null && config.AccuracyCurve is null)
            errors.Add(f.ErrorAt("target_accuracy", "needs federated.accuracy_curve to map progress to accuracy"));
        if (errors.Count > 0) throw new ScenarioException(errors);

        return new FederatedScenario
        {
            Name = root.GetString("name"),
            Description = root.Has("description") ? root.GetString("description") : null,
            Seed = (ulong)root.GetLong("seed"),
            Replications = root.GetInt("replications"),
            Config = config,
            Population = population!,
            PopulationDescription = populationText,
            EstimatedClients = estimatedClients,
            WriteReport = root.GetSection("outputs").GetBool("report"),
            Source = doc.File,
        };
    }

    private static IReadOnlyList<(double, double)>? ReadCurve(ScenarioSection f, List<ScenarioError> errors)
    {
        var node = (YamlSequence)f.NodeAt("accuracy_curve")!;
        var points = new List<(double, double)>();
        for (int i = 0; i < node.Items.Count; i++)
        {
            var pair = (YamlSequence)node.Items[i];
            if (pair.Items.Count != 2) { errors.Add(f.ErrorAt($"accuracy_curve[{i}]", $"expected [progress, accuracy], got {pair.Items.Count} numbers")); continue; }
            points.Add((double.Parse(((YamlScalar)pair.Items[0]).Value, System.Globalization.CultureInfo.InvariantCulture),
                        double.Parse(((YamlScalar)pair.Items[1]).Value, System.Globalization.CultureInfo.InvariantCulture)));
        }
        return points;
    }
}
