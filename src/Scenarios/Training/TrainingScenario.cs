using Sim.Core.Randomness;
using Sim.Models.Collectives;
using Sim.Models.Compute;
using Sim.Models.Faults;
using Sim.Models.Hardware;
using Sim.Models.Training;
using Sim.Models.Workloads;
using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Training;

/// <summary>
/// A training scenario read from a validated file and turned into the simulator's objects: the
/// cluster spec, the model, the compute model, and the strategy's configuration. Checks that need
/// more than one key (more workers than GPUs, a model that is both zoo and gpt) happen here, each
/// error naming the file, line and key path.
/// </summary>
public sealed record TrainingScenario
{
    public required string Name { get; init; }
    public string? Description { get; init; }
    public required ulong Seed { get; init; }
    public required int Replications { get; init; }
    public required ClusterSpec Cluster { get; init; }
    /// <summary>closed_form, analytical or flow.</summary>
    public required string Backend { get; init; }
    public bool FlowNetwork => Backend == "flow";
    public required CollectiveAlgorithm Collective { get; init; }
    public required ModelSpec Model { get; init; }
    public required Precision Precision { get; init; }
    public required IComputeModel Compute { get; init; }
    public required string Mode { get; init; }
    public required int Workers { get; init; }
    public required DataParallelConfig DataParallel { get; init; }
    public ParameterServerConfig? ParameterServer { get; init; }
    public Sim.Models.Training.Pipeline.PipelineConfig? Pipeline { get; init; }
    public double ServerBandwidth { get; init; }
    public bool WriteTimeline { get; init; } = true;
    public long TimelineMaxSpans { get; init; } = 200_000;
    public bool WriteReport { get; init; } = true;
    /// <summary>The attack: and defence: sections, or null.</summary>
    public Sim.Scenarios.Dependability.DependabilitySettings? Dependability { get; init; }
    /// <summary>The file it came from ("built-in" for the quick-start).</summary>
    public required string Source { get; init; }

    public static TrainingScenario Load(string path) => From(ScenarioDocument.Load(path, TrainingScenarioSchema.Root));

    public static TrainingScenario Parse(string yaml, string fileName) => From(ScenarioDocument.Parse(yaml, fileName, TrainingScenarioSchema.Root));

    public static TrainingScenario From(ScenarioDocument doc)
    {
        var root = doc.Section;
        var errors = new List<ScenarioError>();
        string baseDir = Path.GetDirectoryName(Path.GetFullPath(doc.File)) ?? ".";

        // Cluster.
        var c = root.GetSection("cluster");
        var fabricName = c.GetString("fabric");
        FabricSpec? fabric = fabricName switch
        {
            "default" => null,
            "single_switch" => new FabricSpec { Kind = FabricKind.SingleSwitch },
            "fat_tree2" => new FabricSpec { Kind = FabricKind.FatTree2, Oversubscription = c.GetDouble("oversubscription") },
            "fat_tree3" => new FabricSpec { Kind = FabricKind.FatTree3, Oversubscription = c.GetDouble("oversubscription") },
            _ => new FabricSpec { Kind = FabricKind.RailOptimized, Oversubscription = c.GetDouble("oversubscription") },
        };
        ClusterSpec? cluster = null;
        try { cluster = HardwarePresets.Cluster(c.GetString("preset"), c.GetInt("nodes"), fabric); }
        catch (SpecError e) { errors.Add(c.ErrorAt(e.Path.StartsWith("cluster.fabric", StringComparison.Ordinal) ? "fabric" : e.Path.Contains("nodeCount") ? "nodes" : "preset", e.Problem)); }

        // Network.
        var n = root.GetSection("network");
        string backend = n.GetString("backend");
        var algorithm = n.GetString("collective") switch
        {
            "tree" => CollectiveAlgorithm.Tree,
            "rhd" => CollectiveAlgorithm.Rhd,
            "hierarchical" => CollectiveAlgorithm.Hierarchical,
            _ => CollectiveAlgorithm.Ring,
        };

        // Compute precision first: activations are stored at the training precision.
        var k = root.GetSection("compute");
        var precision = Enum.Parse<Precision>(k.GetString("precision"), ignoreCase: true);
        int bytesPerElement = precision is Precision.Fp32 or Precision.Tf32 or Precision.Fp64 ? 4 : 2;

        // Model.
        var m = root.GetSection("model");
        ModelSpec? model = null;
        if (m.Has("zoo") == m.Has("gpt"))
            errors.Add(root.ErrorAt("model", "give exactly one of model.zoo or model.gpt"));
        else
        {
            try
            {
                if (m.Has("zoo"))
                {
                    var options = new ZooOptions
                    {
                        BytesPerElement = bytesPerElement,
                        ImageSize = m.Has("image_size") ? m.GetInt("image_size") : null,
                        SequenceLength = m.Has("sequence_length") ? m.GetInt("sequence_length") : null,
                    };
                    model = ModelZoo.Get(m.GetString("zoo"), options);
                }
                else
                {
                    var g = m.GetSection("gpt");
                    model = ModelZoo.Gpt(g.GetInt("layers"), g.GetInt("hidden"), g.GetInt("heads"), g.GetInt("sequence"), g.GetInt("vocabulary"), bytesPerElement: bytesPerElement);
                }
            }
            catch (ArgumentException e) { errors.Add(m.ErrorAt(m.Has("zoo") ? "zoo" : "gpt", e.Message)); }
        }

        // Compute: a calibration profile, or a roofline of the preset's device.
        IComputeModel? compute = null;
        if (k.Has("profile"))
        {
            foreach (var key in new[] { "flop_efficiency", "memory_efficiency", "layer_overhead_us" })
                if (k.Has(key)) errors.Add(k.ErrorAt(key, "is a roofline setting; a calibration profile (compute.profile) replaces it"));
            string rel = k.GetString("profile");
            string full = Path.IsPathRooted(rel) ? rel : Path.Combine(baseDir, rel);
            if (!File.Exists(full)) errors.Add(k.ErrorAt("profile", $"file not found: {full}"));
            else
            {
                try { compute = new Sim.Calibration.Fitting.CalibratedCompute(Sim.Calibration.Profiles.CalibrationProfileReader.Read(full), rel); }
                catch (Exception e) when (e is Sim.Calibration.Traces.TraceFormatException or InvalidDataException or FormatException or ArgumentException or KeyNotFoundException)
                { errors.Add(k.ErrorAt("profile", e.Message)); }
            }
        }
        else if (cluster is not null)
        {
            var device = cluster.Node.Device;
            if (!device.PeakFlops.ContainsKey(precision))
                errors.Add(k.ErrorAt("precision", $"{device.Name} has no {precision.ToString().ToLowerInvariant()} peak; it supports {string.Join(", ", device.PeakFlops.Keys.Select(p => p.ToString().ToLowerInvariant()))}"));
            else
                compute = new RooflineCompute(device.PeakFlopsFor(precision), device.MemoryBandwidth, k.GetDouble("flop_efficiency"),
                    k.GetDouble("memory_efficiency"), k.GetDouble("layer_overhead_us") * 1e-6, $"{device.Name} {precision.ToString().ToLowerInvariant()}");
        }

        // Training.
        var t = root.GetSection("training");
        string mode = t.GetString("mode");
        int gpus = cluster?.DeviceCount ?? 1;
        int workers = t.Has("workers") ? t.GetInt("workers") : gpus;
        if (cluster is not null && workers > gpus)
            errors.Add(t.ErrorAt("workers", $"the cluster has {gpus} GPUs ({cluster.NodeCount} x {cluster.Node.DevicesPerNode}), got {workers} workers"));
        int backups = t.GetInt("backup_workers");
        if (backups >= workers) errors.Add(t.ErrorAt("backup_workers", $"must be less than the number of workers ({workers}), got {backups}"));

        var stragglers = ReadStragglers(root.GetSection("stragglers"), workers, baseDir, errors);
        var failures = root.Has("failures") ? ReadFailures(root.GetSection("failures"), workers, cluster, errors) : null;

        var ps = root.GetSection("parameter_server");
        if (root.Has("parameter_server") && mode != "parameter_server")
            errors.Add(root.ErrorAt("parameter_server", $"is only used with training.mode: parameter_server (mode is {mode})"));
        if (mode == "parameter_server" && failures is not null)
            errors.Add(root.ErrorAt("failures", "failures are simulated for data_parallel and local_sgd only"));
        var dependability = Sim.Scenarios.Dependability.DependabilitySettings.Read(root, workers, mode, errors);

        if (errors.Count > 0) throw new ScenarioException(errors);

        var dp = new DataParallelConfig
        {
            Model = model!, Workers = workers, MicroBatch = t.GetInt("micro_batch"), Iterations = t.GetInt("iterations"),
            GradientBytesPerParameter = t.GetDouble("gradient_bytes"),
            BucketCapBytes = t.GetDouble("bucket_mb") * 1024 * 1024, FirstBucketCapBytes = t.GetDouble("first_bucket_mb") * 1024 * 1024,
            Overlap = t.GetBool("overlap"), BackupWorkers = backups,
            OptimizerSeconds = t.Has("optimizer_ms") ? t.GetDouble("optimizer_ms") * 1e-3 : null,
            LocalSteps = mode == "local_sgd" ? t.GetInt("local_steps") : 1,
            Stragglers = stragglers, Failures = failures, GpusPerNode = cluster!.Node.DevicesPerNode,
        };
        ParameterServerConfig? psConfig = null;
        double serverBandwidth = cluster.Node.NicBandwidth;
        if (mode == "parameter_server")
        {
            psConfig = new ParameterServerConfig
            {
                Model = model!, Workers = workers, MicroBatch = dp.MicroBatch, Iterations = dp.Iterations,
                Consistency = Enum.Parse<PsConsistency>(ps.GetString("consistency"), ignoreCase: true),
                Staleness = ps.GetInt("staleness"), Servers = ps.GetInt("servers"),
                AggregationBytesPerSecond = ps.GetDouble("aggregation_gbytes_per_s") * 1e9,
                GradientBytesPerParameter = dp.GradientBytesPerParameter, BackupWorkers = backups, Stragglers = stragglers,
            };
            if (ps.Has("server_bandwidth_gbps")) serverBandwidth = ps.GetDouble("server_bandwidth_gbps") * 1e9 / 8;
        }

        Sim.Models.Training.Pipeline.PipelineConfig? pipeline = null;
        if (root.Has("pipeline") && mode != "pipeline")
            errors.Add(root.ErrorAt("pipeline", $"is only used with training.mode: pipeline (mode is {mode})"));
        if (mode == "pipeline")
        {
            if (!root.Has("pipeline")) errors.Add(root.ErrorAt("training.mode", "mode pipeline needs a pipeline: section (stages, microbatches, ...)"));
            else pipeline = ReadPipeline(root.GetSection("pipeline"), model!, m, bytesPerElement, dp, cluster, errors);
            if (failures is not null) errors.Add(root.ErrorAt("failures", "failures are simulated for data_parallel and local_sgd only"));
            if (!stragglers.IsNone) errors.Add(root.ErrorAt("stragglers", "stragglers are simulated for data_parallel, local_sgd and parameter_server only"));
        }
        if (errors.Count > 0) throw new ScenarioException(errors);

        var o = root.GetSection("outputs");
        return new TrainingScenario
        {
            Name = root.GetString("name"),
            Description = root.Has("description") ? root.GetString("description") : null,
            Seed = (ulong)root.GetLong("seed"),
            Replications = root.GetInt("replications"),
            Cluster = cluster, Backend = backend, Collective = algorithm,
            Model = model!, Precision = precision, Compute = compute!,
            Mode = mode, Workers = pipeline?.Gpus ?? workers, DataParallel = dp, ParameterServer = psConfig, Pipeline = pipeline, ServerBandwidth = serverBandwidth,
            Dependability = dependability,
            WriteTimeline = o.GetBool("timeline"), TimelineMaxSpans = o.GetLong("timeline_max_spans"), WriteReport = o.GetBool("report"),
            Source = doc.File,
        };
    }

    private static Sim.Models.Training.Pipeline.PipelineConfig? ReadPipeline(ScenarioSection p, ModelSpec model, ScenarioSection modelSection,
        int bytesPerElement, DataParallelConfig dp, ClusterSpec cluster, List<ScenarioError> errors)
    {
        var transformer = modelSection.Has("zoo")
            ? ModelZoo.TransformerConfigFor(modelSection.GetString("zoo"), new ZooOptions { BytesPerElement = bytesPerElement, SequenceLength = modelSection.Has("sequence_length") ? modelSection.GetInt("sequence_length") : null })
            : null;
        var schedule = p.GetString("schedule") switch
        {
            "gpipe" => Sim.Models.Training.Pipeline.PipelineScheduleKind.GPipe,
            "interleaved" => Sim.Models.Training.Pipeline.PipelineScheduleKind.Interleaved,
            _ => Sim.Models.Training.Pipeline.PipelineScheduleKind.OneFOneB,
        };
        var config = new Sim.Models.Training.Pipeline.PipelineConfig
        {
            Model = model,
            Transformer = transformer,
            Stages = p.GetInt("stages"),
            Microbatches = p.GetInt("microbatches"),
            Schedule = schedule,
            VirtualStages = schedule == Sim.Models.Training.Pipeline.PipelineScheduleKind.Interleaved ? p.GetInt("virtual_stages") : 1,
            TensorParallel = p.GetInt("tensor_parallel"),
            DataParallel = p.GetInt("data_parallel"),
            MicroBatch = dp.MicroBatch,
            Iterations = dp.Iterations,
            Partition = p.Has("layers_per_stage") ? Sim.Models.Training.Pipeline.PartitionMethod.Explicit
                : p.GetString("partition") == "uniform" ? Sim.Models.Training.Pipeline.PartitionMethod.Uniform : Sim.Models.Training.Pipeline.PartitionMethod.Balanced,
            LayersPerStage = p.Has("layers_per_stage") ? p.GetList<long>("layers_per_stage").Select(x => (int)x).ToArray() : null,
            SequenceParallel = p.GetBool("sequence_parallel"),
            ScatterGather = p.GetBool("scatter_gather"),
            Recompute = Enum.Parse<Recomputation>(p.GetString("recompute"), ignoreCase: true),
            Zero = (Sim.Models.Memory.ZeroStage)p.GetInt("zero_stage"),
            Order = p.GetString("rank_order") == "tensor_pipeline_data" ? Sim.Models.Training.Pipeline.RankOrder.TensorPipelineData : Sim.Models.Training.Pipeline.RankOrder.TensorDataPipeline,
            GradientBytesPerParameter = dp.GradientBytesPerParameter,
            OptimizerSeconds = dp.OptimizerSeconds,
            AllReplicaTraffic = p.GetBool("all_replica_traffic"),
        };
        if (config.Gpus > cluster.DeviceCount)
            errors.Add(p.ErrorAt("stages", $"tensor_parallel x stages x data_parallel = {config.TensorParallel} x {config.Stages} x {config.DataParallel} = {config.Gpus} GPUs, but the cluster has {cluster.DeviceCount}"));
        try { config.Validate(); }
        catch (ArgumentException e) { errors.Add(p.ErrorAt("stages", e.Message)); }
        return config;
    }

    private static StragglerModel ReadStragglers(ScenarioSection s, int workers, string baseDir, List<ScenarioError> errors)
    {
        IDistribution? jitter = null;
        if (s.Has("jitter"))
        {
            try
            {
                jitter = Distributions.Parse(s.GetString("jitter"), baseDir);
                if (!(jitter.Mean > 0)) errors.Add(s.ErrorAt("jitter", $"a compute multiplier must have a positive mean, got {jitter} with mean {jitter.Mean}"));
            }
            catch (DistributionParseException e) { errors.Add(s.ErrorAt("jitter", e.Message)); }
        }
        var transients = new List<TransientSlowdown>();
        foreach (var tr in s.GetSections("transients"))
        {
            int w = tr.GetInt("worker");
            if (w >= workers) errors.Add(tr.ErrorAt("worker", $"there are {workers} workers (0..{workers - 1}), got {w}"));
            transients.Add(new TransientSlowdown(tr.GetDouble("start_s"), tr.GetDouble("duration_s"), tr.GetDouble("factor"), w));
        }
        return new StragglerModel { Jitter = jitter, SlowFraction = s.GetDouble("slow_fraction"), SlowFactor = s.GetDouble("slow_factor"), Transients = transients };
    }

    private static FailureModel? ReadFailures(ScenarioSection f, int workers, ClusterSpec? cluster, List<ScenarioError> errors)
    {
        if (!f.Has("gpu_mtbf_hours") && !f.Has("node_mtbf_hours"))
        {
            errors.Add(f.ErrorAt("gpu_mtbf_hours", "give gpu_mtbf_hours and/or node_mtbf_hours"));
            return null;
        }
        var model = new FailureModel
        {
            GpuMtbfSeconds = f.Has("gpu_mtbf_hours") ? f.GetDouble("gpu_mtbf_hours") * 3600 : double.PositiveInfinity,
            NodeMtbfSeconds = f.Has("node_mtbf_hours") ? f.GetDouble("node_mtbf_hours") * 3600 : double.PositiveInfinity,
            DetectionSeconds = f.GetDouble("detection_s"),
            RestartSeconds = f.GetDouble("restart_s"),
            CheckpointSeconds = f.GetDouble("checkpoint_s"),
        };
        int perNode = cluster?.Node.DevicesPerNode ?? 8;
        double mtbf = model.SystemMtbf(workers, (workers + perNode - 1) / perNode);
        double interval = f.Has("checkpoint_interval_s") ? f.GetDouble("checkpoint_interval_s") : FailureModel.YoungInterval(model.CheckpointSeconds, mtbf);
        if (!(interval > 0)) errors.Add(f.ErrorAt("checkpoint_s", "Young's interval needs checkpoint_s > 0; give checkpoint_interval_s instead"));
        return model with { CheckpointIntervalSeconds = interval > 0 ? interval : double.PositiveInfinity };
    }
}
