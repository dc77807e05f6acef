using Sim.Core.Randomness;
using Sim.Models.Cluster;
using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Network;
using Sim.Models.Workloads;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Cluster;

/// <summary>
/// A cluster scenario read from a validated file: how to build, per replication, a fresh cluster, its
/// network model and its job stream, and which policy to run. Every problem (schema, cross-key rules,
/// unknown presets or models, a bad trace) is found here, before anything runs or is written, and
/// reported with file, line, column and key path.
/// </summary>
public sealed record ClusterScenario
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required ulong Seed { get; init; }
    public required int Replications { get; init; }
    public required string Source { get; init; }
    public required string Policy { get; init; }
    public required SchedulerOptions SchedulerOptions { get; init; }
    public required ClusterSimulationOptions Options { get; init; }
    public required Func<GpuCluster> NewCluster { get; init; }
    /// <summary>A fresh network model (null: no fabric modelled).</summary>
    public required Func<IClusterNetwork?> NewNetwork { get; init; }
    /// <summary>The job stream of a replication's seed.</summary>
    public required Func<ulong, IJobSource> Jobs { get; init; }
    public required string ClusterDescription { get; init; }
    public required string JobsDescription { get; init; }
    public bool WriteReport { get; init; } = true;
    /// <summary>Jobs one replication simulates (the count, or arrival rate x horizon at the diurnal peak, or the trace's rows), for the cost estimate.</summary>
    public double EstimatedJobs { get; init; }

    public static ClusterScenario Load(string path) => From(ScenarioDocument.Load(path, ClusterScenarioSchema.Root));

    public static ClusterScenario Parse(string yaml, string fileName) => From(ScenarioDocument.Parse(yaml, fileName, ClusterScenarioSchema.Root));

    // Defaults shared with training scenarios (TrainingScenarioSchema): roofline efficiencies are inputs
    // to calibrate with `sim calibrate`, not measurements; bf16 matrix work, 2-byte gradients.
    private const double FlopEfficiency = 0.5, MemoryEfficiency = 0.7;
    private const double GradientBytesPerParameter = 2;

    public static ClusterScenario From(ScenarioDocument doc)
    {
        var root = doc.Section;
        var errors = new List<ScenarioError>();
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(doc.File)) ?? ".";
        IDistribution? Dist(ScenarioSection s, string key)
        {
            if (!s.Has(key)) return null;
            try { return Distributions.Parse(s.GetString(key), baseDir); }
            catch (DistributionParseException e) { errors.Add(s.ErrorAt(key, e.Message)); return null; }
        }

        // Cluster.
        var c = root.GetSection("cluster");
        int nodes = c.GetInt("nodes");
        NodeSpec? preset = null;
        if (c.Has("preset"))
        {
            try { preset = HardwarePresets.Node(c.GetString("preset"), "cluster.preset"); }
            catch (SpecError e) { errors.Add(c.ErrorAt("preset", e.Message)); }
            if (c.Has("gpus_per_node")) errors.Add(c.ErrorAt("gpus_per_node", "give either cluster.preset (which fixes GPUs per node) or cluster.gpus_per_node, not both"));
        }
        int gpusPerNode = preset?.DevicesPerNode ?? c.GetInt("gpus_per_node");
        var types = new List<GpuType>();
        var nodeTypes = new int[nodes];
        if (c.Has("gpu_types"))
        {
            var groups = c.GetSections("gpu_types");
            int at = 0;
            for (int g = 0; g < groups.Count; g++)
            {
                string name = groups[g].GetString("name");
                if (types.Any(t => t.Name == name)) errors.Add(groups[g].ErrorAt("name", $"type '{name}' is listed twice"));
                types.Add(new GpuType(name, groups[g].GetDouble("speed")));
                int n = groups[g].GetInt("nodes");
                for (int k = 0; k < n && at < nodes; k++) nodeTypes[at++] = g;
            }
            long listed = groups.Sum(s => (long)s.GetInt("nodes"));
            if (listed != nodes) errors.Add(c.ErrorAt("gpu_types", $"node counts add up to {listed}, but cluster.nodes is {nodes}"));
        }

        Topology? topology = null;
        bool contention = false;
        int nodesPerLeaf = c.Has("nodes_per_leaf") ? c.GetInt("nodes_per_leaf") : int.MaxValue;
        string fabricText = "no fabric modelled";
        if (c.Has("network"))
        {
            var n = c.GetSection("network");
            if (preset is null) errors.Add(c.ErrorAt("network", "needs cluster.preset (the NICs and intra-node fabric come from the node preset)"));
            else
            {
                if (c.Has("nodes_per_leaf")) errors.Add(c.ErrorAt("nodes_per_leaf", "follows from cluster.network (leaf ports / NICs per node); remove it"));
                var kind = n.GetString("fabric") switch { "single-switch" => FabricKind.SingleSwitch, "fat-tree-3" => FabricKind.FatTree3, _ => FabricKind.FatTree2 };
                var fabric = new FabricSpec
                {
                    Kind = kind,
                    LeafDownPorts = n.GetInt("leaf_down_ports"),
                    UplinksPerLeaf = n.GetInt("spines"),
                    Oversubscription = n.GetDouble("oversubscription"),
                };
                nodesPerLeaf = kind == FabricKind.SingleSwitch ? nodes : Math.Max(1, fabric.LeafDownPorts / preset.NicCount);
                if (kind != FabricKind.SingleSwitch && fabric.LeafDownPorts % preset.NicCount != 0)
                    errors.Add(n.ErrorAt("leaf_down_ports", $"must be a multiple of the {preset.NicCount} NICs per {preset.Name} node, so that every node hangs off one leaf"));
                try
                {
                    if (errors.Count == 0)
                        topology = ClusterTopology.Build(new ClusterSpec { Name = $"{nodes}x {preset.Name}", Node = preset, NodeCount = nodes, Fabric = fabric });
                }
                catch (SpecError e) { errors.Add(c.ErrorAt("network", e.Message)); }
                contention = n.GetBool("contention");
                fabricText = $"{n.GetString("fabric")}, oversubscription {fabric.Oversubscription:G4}, {nodesPerLeaf} nodes per leaf, contention {(contention ? "on" : "off")}";
            }
        }
        int totalGpus = nodes * gpusPerNode;

        // Jobs.
        var j = root.GetSection("jobs");
        Func<ulong, IJobSource>? jobs = null;
        double estimatedJobs = 0;
        string jobsText = "";
        if (j.Has("synthetic") == j.Has("trace"))
            errors.Add(root.ErrorAt("jobs", "give exactly one of jobs.synthetic or jobs.trace"));
        else if (j.Has("synthetic"))
        {
            var s = j.GetSection("synthetic");
            var gpus = Dist(s, "gpus");
            var estimate = Dist(s, "estimate_error");
            var profiles = new List<(TrainingProfile, double)>();
            IDistribution? work = null;
            if (s.Has("models"))
            {
                if (preset is null) errors.Add(s.ErrorAt("models", "needs cluster.preset (the device that runs the models)"));
                if (!s.Has("iterations")) errors.Add(s.ErrorAt("models", "jobs with training models need jobs.synthetic.iterations"));
                if (s.Has("duration_s")) errors.Add(s.ErrorAt("duration_s", "jobs with training models take jobs.synthetic.iterations, not duration_s"));
                work = Dist(s, "iterations");
                var mixes = s.GetSections("models");
                foreach (var m in mixes)
                {
                    try
                    {
                        var model = ModelZoo.Get(m.GetString("model"));
                        if (preset is not null)
                        {
                            var device = preset.Device;
                            var compute = new RooflineCompute(device.PeakFlopsFor(Precision.Bf16), device.MemoryBandwidth, FlopEfficiency, MemoryEfficiency, 0, device.Name);
                            double alpha = topology is not null && nodes > 1 ? topology.PathLatency(0, gpusPerNode) : preset.NicLatency;
                            SparkStageCosts? spark = null;
                            if (m.Has("spark_stage_launch_s") != m.Has("spark_task_launch_s"))
                                errors.Add(m.ErrorAt(m.Has("spark_stage_launch_s") ? "spark_stage_launch_s" : "spark_task_launch_s", "Spark-hosted jobs need both spark_stage_launch_s and spark_task_launch_s"));
                            else if (m.Has("spark_stage_launch_s"))
                                spark = new SparkStageCosts(m.GetDouble("spark_stage_launch_s"), m.GetDouble("spark_task_launch_s"));
                            profiles.Add((TrainingProfile.FromModel(model, compute, m.GetInt("batch_per_gpu"), GradientBytesPerParameter, alpha, spark), m.GetDouble("weight")));
                        }
                    }
                    catch (ArgumentException e) { errors.Add(m.ErrorAt("model", e.Message)); }
                }
            }
            else
            {
                if (!s.Has("duration_s")) errors.Add(j.ErrorAt("synthetic", "give jobs.synthetic.duration_s (or iterations with models)"));
                if (s.Has("iterations")) errors.Add(s.ErrorAt("iterations", "iterations need jobs.synthetic.models; without models give duration_s"));
                work = Dist(s, "duration_s");
            }
            if (!s.Has("jobs") && !s.Has("horizon_days")) errors.Add(j.ErrorAt("synthetic", "give jobs.synthetic.jobs or jobs.synthetic.horizon_days (or both), so the stream ends"));
            if (errors.Count == 0)
            {
                var streamOptions = new SyntheticJobSource.Options(
                    s.GetDouble("arrival_rate_per_hour") / 3600, gpus!, work!, totalGpus,
                    EstimateError: estimate is Deterministic { Value: 1 } ? null : estimate,
                    DiurnalAmplitude: s.GetDouble("diurnal_amplitude"),
                    PeakTime: s.GetDouble("peak_hour") * 3600,
                    Profiles: profiles,
                    MaxJobs: s.Has("jobs") ? s.GetLong("jobs") : 0,
                    Horizon: s.Has("horizon_days") ? s.GetDouble("horizon_days") * 86_400 : double.PositiveInfinity);
                jobs = seed => new SyntheticJobSource(streamOptions, seed);
                estimatedJobs = s.Has("jobs") ? s.GetLong("jobs")
                    : s.GetDouble("arrival_rate_per_hour") * (1 + Math.Abs(s.GetDouble("diurnal_amplitude"))) * 24 * s.GetDouble("horizon_days");
                jobsText = $"synthetic: {s.GetDouble("arrival_rate_per_hour"):G4}/h, gpus {gpus}, work {work}" + (profiles.Count > 0 ? $", models {string.Join(", ", profiles.Select(p => p.Item1.Name))}" : "");
            }
        }
        else
        {
            var t = j.GetSection("trace");
            string path = t.GetString("path");
            string full = Path.IsPathRooted(path) ? path : Path.Combine(baseDir, path);
            if (!File.Exists(full))
            {
                // Scenarios shipped under scenarios/ name traces relative to the repository root too.
                string alt = Path.Combine(baseDir, "..", path);
                if (File.Exists(alt)) full = Path.GetFullPath(alt);
                else errors.Add(t.ErrorAt("path", $"file not found: {full}"));
            }
            if (errors.Count == 0)
            {
                try
                {
                    var read = ClusterTraces.Read(t.GetString("format"), full, t.Has("max_jobs") ? t.GetInt("max_jobs") : int.MaxValue, t.GetDouble("time_scale"));
                    var typeNames = types.Select(x => x.Name).ToHashSet();
                    var list = read.Select(r => r with
                    {
                        Gpus = Math.Min(r.Gpus, totalGpus),
                        GpuType = r.GpuType is not null && typeNames.Contains(r.GpuType) ? r.GpuType : null,
                    }).ToArray();
                    if (list.Length == 0) errors.Add(t.ErrorAt("path", "the trace holds no usable GPU jobs"));
                    jobs = _ => new JobList(list);
                    estimatedJobs = list.Length;
                    jobsText = $"{t.GetString("format")} trace {path}: {list.Length:N0} jobs";
                }
                catch (ScenarioException e) { errors.AddRange(e.Errors); }
            }
        }

        // Scheduler.
        var sch = root.GetSection("scheduler");
        var thresholds = sch.Has("tiresias_thresholds_gpu_s") ? sch.GetList<double>("tiresias_thresholds_gpu_s") : new SchedulerOptions().TiresiasThresholds;
        for (int i = 1; i < thresholds.Count; i++)
            if (!(thresholds[i] > thresholds[i - 1])) { errors.Add(sch.ErrorAt("tiresias_thresholds_gpu_s", "thresholds must increase")); break; }
        var schedulerOptions = new SchedulerOptions { TiresiasThresholds = thresholds, ThemisLeaseSeconds = sch.GetDouble("lease_s"), GavelRoundSeconds = sch.GetDouble("round_s") };
        var placement = sch.GetString("placement") switch { "spread" => PlacementPolicy.Spread, "topology-aware" => PlacementPolicy.TopologyAware, _ => PlacementPolicy.Packed };
        var outputs = root.GetSection("outputs");
        var options = new ClusterSimulationOptions
        {
            Placement = placement,
            Backfill = sch.GetBool("backfill"),
            CheckpointSeconds = sch.GetDouble("checkpoint_s"),
            RestoreSeconds = sch.GetDouble("restore_s"),
            SeriesBinSeconds = outputs.GetDouble("series_bin_s"),
        };
        if (errors.Count > 0) throw new ScenarioException(errors);

        var typeList = types.Count > 0 ? types.ToArray() : null;
        var nodeTypeCopy = types.Count > 0 ? nodeTypes : null;
        var topo = topology;
        return new ClusterScenario
        {
            Name = root.GetString("name"),
            Description = root.Has("description") ? root.GetString("description") : null,
            Seed = (ulong)root.GetLong("seed"),
            Replications = root.GetInt("replications"),
            Source = doc.File,
            Policy = sch.GetString("policy"),
            SchedulerOptions = schedulerOptions,
            Options = options,
            NewCluster = () => new GpuCluster(nodes, gpusPerNode, nodesPerLeaf, typeList, nodeTypeCopy is null ? null : (int[])nodeTypeCopy.Clone()),
            NewNetwork = () => topo is null ? null : new RingContention(topo, contention),
            Jobs = jobs!,
            ClusterDescription = $"{nodes} nodes x {gpusPerNode} GPUs{(preset is not null ? $" ({preset.Name})" : "")}" +
                (types.Count > 0 ? ", types " + string.Join(", ", types.Select(x => $"{x.Name} x{x.Speed:G3}")) : "") + $"; {fabricText}",
            JobsDescription = jobsText,
            WriteReport = outputs.GetBool("report"),
            EstimatedJobs = estimatedJobs,
        };
    }
}
