using Sim.Core.Randomness;
using Sim.Models.Collectives;
using Sim.Models.Compute;
using Sim.Models.Faults;
using Sim.Models.Hardware;
using Sim.Models.Training;
using Sim.Models.Workloads;
using Sim.Scenarios.Training.Backends;
using Sim.Scenarios.Training.Modes;
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
    /// <summary>What carries the job's traffic (<see cref="NetworkBackends"/>).</summary>
    public required INetworkBackend Backend { get; init; }
    public required CollectiveAlgorithm Collective { get; init; }
    public required ModelSpec Model { get; init; }
    /// <summary>The hyperparameters of a model.gpt transformer (variants included); null otherwise.</summary>
    public TransformerConfig? GptConfig { get; init; }
    public required Precision Precision { get; init; }
    public required IComputeModel Compute { get; init; }
    /// <summary>The training strategy (<see cref="TrainingModes"/>).</summary>
    public required ITrainingMode Mode { get; init; }
    public required int Workers { get; init; }
    public required DataParallelConfig DataParallel { get; init; }
    public ParameterServerConfig? ParameterServer { get; init; }
    public Sim.Models.Training.Pipeline.PipelineConfig? Pipeline { get; init; }
    public CpuHostSettings? CpuHost { get; init; }
    public double ServerBandwidth { get; init; }
    public bool WriteTimeline { get; init; } = true;
    public long TimelineMaxSpans { get; init; } = 200_000;
    public bool WriteReport { get; init; } = true;
    /// <summary>The attack: and defence: sections, or null.</summary>
    public Sim.Scenarios.Dependability.DependabilitySettings? Dependability { get; init; }
    /// <summary>Statistical-efficiency model of a target (section time_to_target); null when absent.</summary>
    public Sim.Models.Learning.TimeToTarget? TimeToTarget { get; init; }
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
        if (c.Has("preset") == c.Has("hardware"))
            errors.Add(root.ErrorAt("cluster", "give exactly one of cluster.preset or cluster.hardware"));
        else if (c.Has("hardware"))
        {
            string rel = c.GetString("hardware");
            string full = Path.IsPathRooted(rel) ? rel : Path.Combine(baseDir, rel);
            if (!File.Exists(full)) errors.Add(c.ErrorAt("hardware", $"file not found: {full}"));
            else
            {
                try { cluster = ClusterSpec.Of(HardwareFile.Load(full), c.GetInt("nodes"), fabric); cluster.Validate(); }
                catch (ScenarioException e) { errors.Add(c.ErrorAt("hardware", "invalid hardware file: " + e.Message)); }
                catch (SpecError e) { errors.Add(c.ErrorAt(e.Path.Contains("nodeCount") ? "nodes" : "hardware", e.Problem)); }
            }
        }
        else
        {
            try { cluster = HardwarePresets.Cluster(c.GetString("preset"), c.GetInt("nodes"), fabric); }
            catch (SpecError e) { errors.Add(c.ErrorAt(e.Path.StartsWith("cluster.fabric", StringComparison.Ordinal) ? "fabric" : e.Path.Contains("nodeCount") ? "nodes" : "preset", e.Problem)); }
        }

        // Network.
        var n = root.GetSection("network");
        var backend = NetworkBackends.Get(n.GetString("backend"));
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
        int bytesPerElement = BytesPerElement(precision);

        // Model.
        var m = root.GetSection("model");
        ModelSpec? model = null;
        TransformerConfig? gptConfig = null;
        if ((m.Has("zoo") ? 1 : 0) + (m.Has("gpt") ? 1 : 0) + (m.Has("layers") ? 1 : 0) != 1)
            errors.Add(root.ErrorAt("model", "give exactly one of model.zoo or model.gpt or model.layers (a CNN as a list of layers)"));
        else if (m.Has("layers")) model = CnnLayerList.Build(m, bytesPerElement, errors);
        else if (m.Has("input")) errors.Add(m.ErrorAt("input", "is the input of a model.layers network; zoo models take model.image_size"));
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
                        FlashAttention = m.GetString("attention") is "flash" or "flash1" or "flash2",
                        FlashAttention1 = m.GetString("attention") == "flash1",
                        FlashAttention2 = m.GetString("attention") == "flash2",
                        AttentionUnpad = m.GetBool("attention_unpad"),
                    };
                    model = ModelZoo.Get(m.GetString("zoo"), options);
                }
                else
                {
                    var g = m.GetSection("gpt");
                    gptConfig = ModelZoo.GptConfig(g.GetInt("layers"), g.GetInt("hidden"), g.GetInt("heads"), g.GetInt("sequence"), g.GetInt("vocabulary"),
                        bytesPerElement: bytesPerElement, tiedEmbeddings: g.GetBool("tied_embeddings")) with
                    {
                        KvHeads = g.Has("kv_heads") ? g.GetInt("kv_heads") : null,
                        RepeatKv = g.GetBool("repeat_kv"),
                        FfnHidden = g.Has("ffn_hidden") ? g.GetInt("ffn_hidden") : null,
                        GatedFfn = g.GetBool("gated_ffn"),
                        Experts = g.GetInt("experts"),
                        TopK = g.GetInt("top_k"),
                        FlashAttention = m.GetString("attention") is "flash" or "flash1" or "flash2",
                        FlashAttention1 = m.GetString("attention") == "flash1",
                        FlashAttention2 = m.GetString("attention") == "flash2",
                        AttentionUnpad = m.GetBool("attention_unpad"),
                    };
                    model = Transformer.Gpt(gptConfig);
                }
            }
            catch (ArgumentException e) { errors.Add(m.ErrorAt(m.Has("zoo") ? "zoo" : GptKeyFor(e.Message), e.Message)); }
            catch (OverflowException) { errors.Add(m.ErrorAt(m.Has("zoo") ? "zoo" : "gpt", "the model is too large to represent (its parameter or FLOP counts overflow); use smaller sizes")); }
        }
        if (model is not null && m.GetString("memory_format") == "nchw")
        {
            try { model = CnnMemoryFormat.ChannelsFirst(model); }
            catch (ArgumentException e) { errors.Add(m.ErrorAt("memory_format", e.Message)); }
        }
        if (model is not null && m.GetBool("mixup"))
        {
            try { model = CnnMixup.Prepend(model); }
            catch (ArgumentException e) { errors.Add(m.ErrorAt("mixup", e.Message)); }
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
            {
                string computeModel = k.GetString("model");
                var rooflineKeys = new[] { "flop_efficiency", "memory_efficiency", "layer_overhead_us" }.Where(k.Has).ToArray();
                if (computeModel == "kernels" && device.Kernels is null)
                    errors.Add(k.ErrorAt("model", $"{device.Name} has no kernel figures (SM count, measured efficiencies); use model: roofline"));
                else if (computeModel == "kernels" && rooflineKeys.Length > 0)
                    errors.Add(k.ErrorAt(rooflineKeys[0], "is a roofline setting; compute.model kernels costs each kernel from its shape instead"));
                // auto: shapes where the device has kernel figures and the model lists its kernels
                // (transformers, and CNNs whose convolutions are costed as implicit GEMMs).
                else if (computeModel == "kernels" || (computeModel == "auto" && device.Kernels is not null && rooflineKeys.Length == 0
                                                       && model is not null && model.Layers.Any(l => l.Kernels is not null)))
                {
                    try { compute = new KernelCompute(device, precision, Fp8RecipeOf(k), k.GetBool("compile")); }
                    catch (SpecError e) { errors.Add(k.ErrorAt("precision", e.Problem)); }
                }
                else if (k.Has("compile") && k.GetBool("compile"))
                    errors.Add(k.ErrorAt("compile", "fuses kernels of the kernel compute model; it needs a model that lists its kernels (a transformer or a CNN) on a device with kernel figures, without roofline keys"));
                else if (precision == Precision.Fp8)
                    errors.Add(k.ErrorAt("precision", "fp8 is costed GEMM by GEMM (Transformer Engine style) and needs the kernel compute model: a transformer (model.gpt or a zoo transformer) on a device with kernel figures, without roofline keys"));
                else
                    compute = new RooflineCompute(device.PeakFlopsFor(precision), device.MemoryBandwidth, k.GetDouble("flop_efficiency"),
                        k.GetDouble("memory_efficiency"), k.GetDouble("layer_overhead_us") * 1e-6, $"{device.Name} {precision.ToString().ToLowerInvariant()}");
            }
        }

        // A compiled CNN (XLA, torch.compile) fuses the memory-bound operations between its convolutions across
        // layers; a transformer's fusion happens inside its layers (KernelCompute).
        if (compute is KernelCompute { Compile: true } && model is not null && model.Layers.Any(l => l.Kernels?.OfType<ConvKernel>().Any() == true))
            model = CnnCompilerFusion.FuseElementwiseRuns(model);

        if (compute is KernelCompute { Facts.FlashAttention1RelativeSpeed: null } kernelCompute && m.GetString("attention") == "flash1")
            errors.Add(m.ErrorAt("attention", $"flash1 needs a measured FlashAttention-1 speed for {kernelCompute.Device.Name} (hardware file key device.kernels.flash_attention_1_relative_speed); it is refused rather than guessed"));
        if (compute is KernelCompute { Facts.FlashAttention2RelativeSpeed: null } kernelCompute2 && m.GetString("attention") is "flash2" or "flash1")
            errors.Add(m.ErrorAt("attention", $"{m.GetString("attention")} needs FlashAttention-2's measured speed relative to the figure kernel for {kernelCompute2.Device.Name} (hardware file key device.kernels.flash_attention_2_relative_speed); it is refused rather than guessed"));

        if (k.Has("fp8") && precision != Precision.Fp8)
            errors.Add(k.ErrorAt("fp8", $"is an FP8 recipe; it needs compute.precision: fp8 (precision is {precision.ToString().ToLowerInvariant()})"));

        // Training.
        var t = root.GetSection("training");
        var mode = TrainingModes.Get(t.GetString("mode"));
        int gpus = cluster?.DeviceCount ?? 1;
        int workers = t.Has("workers") ? t.GetInt("workers") : gpus;
        if (cluster is not null && workers > gpus)
            errors.Add(t.ErrorAt("workers", $"the cluster has {gpus} GPUs ({cluster.NodeCount} x {cluster.Node.DevicesPerNode}), got {workers} workers"));
        int backups = t.GetInt("backup_workers");
        if (backups >= workers) errors.Add(t.ErrorAt("backup_workers", $"must be less than the number of workers ({workers}), got {backups}"));

        var stragglers = ReadStragglers(root.GetSection("stragglers"), workers, baseDir, errors);
        var failures = root.Has("failures") ? ReadFailures(root.GetSection("failures"), workers, cluster, model, errors) : null;

        // What the mode allows: its own section only, the backends, failures and stragglers it simulates.
        foreach (var other in TrainingModes.Registry.Entries)
            if (other != mode && other.Section is { } section && root.Has(section.Key) && mode.Section?.Key != section.Key)
                errors.Add(root.ErrorAt(section.Key, $"is only used with training.mode: {other.Name} (mode is {mode.Name})"));
        if (mode.NeedsTransfers && !backend.SimulatesTransfers)
            errors.Add(n.ErrorAt("backend", $"{backend.Name} prices only all-reduces and simulates no transfers; training.mode {mode.Name} sends point-to-point traffic, so use one of: " +
                string.Join(", ", NetworkBackends.Registry.Entries.Where(b => b.SimulatesTransfers).Select(b => b.Name))));
        if (failures is not null && !mode.SimulatesFailures)
            errors.Add(root.ErrorAt("failures", $"failures are simulated for {TrainingModes.NamesWhere(m => m.SimulatesFailures)} only"));
        if (!stragglers.IsNone && !mode.SimulatesStragglers)
            errors.Add(root.ErrorAt("stragglers", $"stragglers are simulated for {TrainingModes.NamesWhere(m => m.SimulatesStragglers)} only"));
        var dependability = Sim.Scenarios.Dependability.DependabilitySettings.Read(root, workers, mode, errors, withCoding: true);

        var timeToTarget = TimeToTargetSection.Read(root, mode, errors);
        if (errors.Count > 0) throw new ScenarioException(errors);

        double commRetained = CommRetainedSpeed(t, cluster!.Node, crossesNodes: workers > cluster.Node.DevicesPerNode, errors);
        int? optimizerBatch = OptimizerBatch(t, mode, workers, errors);
        if (t.Has("parameter_passes") && mode.Name != "data_parallel")
            errors.Add(t.ErrorAt("parameter_passes", $"is used by training.mode data_parallel only (mode is {mode.Name})"));
        foreach (string key in new[] { "optimizer", "optimizer_after_sync", "sync_cycle_ms" })
            if (t.Has(key) && mode.Name is not ("data_parallel" or "local_sgd"))
                errors.Add(t.ErrorAt(key, $"is used by training.mode data_parallel and local_sgd only (mode is {mode.Name}); give the step's time as optimizer_ms"));
        if (errors.Count > 0) throw new ScenarioException(errors);
        var dp = new DataParallelConfig
        {
            Model = model!, Workers = workers, MicroBatch = t.GetInt("micro_batch"), Iterations = t.GetInt("iterations"),
            GradientBytesPerParameter = t.GetDouble("gradient_bytes"),
            BucketCapBytes = t.GetDouble("bucket_mb") * 1024 * 1024, FirstBucketCapBytes = t.GetDouble("first_bucket_mb") * 1024 * 1024,
            Overlap = t.GetBool("overlap"), BackupWorkers = backups, CommRetainedSpeed = commRetained,
            OptimizerSeconds = t.Has("optimizer_ms") ? t.GetDouble("optimizer_ms") * 1e-3 : null,
            Optimizer = t.GetString("optimizer") == "sgd_per_tensor" ? OptimizerKind.SgdPerTensor : OptimizerKind.Adam,
            OptimizerAfterHostSync = t.GetBool("optimizer_after_sync"),
            OptimizerBatch = optimizerBatch,
            SyncCycleSeconds = t.GetDouble("sync_cycle_ms") * 1e-3,
            ParameterPasses = t.GetString("parameter_passes") switch { "pytorch" => ParameterPassKind.PyTorch, "pytorch_autocast" => ParameterPassKind.PyTorchAutocast, _ => ParameterPassKind.None },
            LocalSteps = 1,
            Stragglers = stragglers, Failures = failures, GpusPerNode = cluster!.Node.DevicesPerNode,
        };

        var o = root.GetSection("outputs");
        var draft = new TrainingScenario
        {
            GptConfig = gptConfig,
            Name = root.GetString("name"),
            Description = root.Has("description") ? root.GetString("description") : null,
            Seed = (ulong)root.GetLong("seed"),
            Replications = root.GetInt("replications"),
            Cluster = cluster, Backend = backend, Collective = algorithm,
            Model = model!, Precision = precision, Compute = compute!,
            Mode = mode, Workers = workers, DataParallel = dp, ServerBandwidth = cluster.Node.NicBandwidth,
            Dependability = dependability,
            TimeToTarget = timeToTarget,
            WriteTimeline = o.GetBool("timeline"), TimelineMaxSpans = o.GetLong("timeline_max_spans"), WriteReport = o.GetBool("report"),
            Source = doc.File,
        };
        var scenario = mode.Configure(draft, root, errors);
        if (errors.Count > 0) throw new ScenarioException(errors);
        return scenario;
    }

    /// <summary>training.optimizer_batch: data_parallel only, a multiple of the global batch (workers x micro_batch); null when not given.</summary>
    private static int? OptimizerBatch(ScenarioSection t, ITrainingMode mode, int workers, List<ScenarioError> errors)
    {
        if (!t.Has("optimizer_batch")) return null;
        int batch = t.GetInt("optimizer_batch"), global = workers * t.GetInt("micro_batch");
        if (mode.Name != "data_parallel")
            errors.Add(t.ErrorAt("optimizer_batch", $"gradient accumulation is simulated for training.mode data_parallel only (mode is {mode.Name})"));
        else if (batch % global != 0)
            errors.Add(t.ErrorAt("optimizer_batch", $"must be a multiple of the global batch, workers x micro_batch = {workers} x {t.GetInt("micro_batch")} = {global}; got {batch}"));
        return batch;
    }

    /// <summary>The FP8 recipe of compute.fp8 (delayed scaling by default) when precision is fp8; null otherwise.</summary>
    private static Fp8Recipe? Fp8RecipeOf(ScenarioSection compute)
    {
        if (!string.Equals(compute.GetString("precision"), "fp8", StringComparison.Ordinal)) return null;
        var scaling = compute.GetSection("fp8").GetString("recipe") == "tensorwise" ? Fp8Scaling.Tensorwise : Fp8Scaling.Delayed;
        return new Fp8Recipe { Scaling = scaling };
    }

    /// <summary>The model.gpt key a transformer-config error is about (cross-key rules: heads vs
    /// kv_heads, top_k vs experts), so the error points at the key to change.</summary>
    private static string GptKeyFor(string message) =>
        message.Contains("key/value heads", StringComparison.Ordinal) ? "gpt.kv_heads"
        : message.Contains("top-k", StringComparison.Ordinal) ? "gpt.top_k"
        : message.Contains("unpadded (varlen)", StringComparison.Ordinal) ? "attention_unpad"
        : "gpt";

    /// <summary>Bytes per stored activation element at <paramref name="precision"/>: activations are kept
    /// at the training precision.</summary>
    public static int BytesPerElement(Precision precision) => precision is Precision.Fp32 or Precision.Tf32 or Precision.Fp64 ? 4 : 2;

    /// <summary>
    /// training.comm_sms: the speed compute keeps beside an overlapped data-parallel collective that
    /// holds that many SMs (<see cref="CommInterference"/>; the compute is treated as compute-bound,
    /// GEMM-dominated). Not given: the SMs are NCCL's channels on this node
    /// (<see cref="CommInterference.NcclChannels"/>), or none on a device without an SM count. 1 when the
    /// SMs are 0; an error when a given count cannot be applied.
    /// </summary>
    private static double CommRetainedSpeed(ScenarioSection t, NodeSpec node, bool crossesNodes, List<ScenarioError> errors)
    {
        var device = node.Device;
        if (!t.Has("comm_sms"))
            return device.Kernels is { } known && CommInterference.NcclChannels(node, crossesNodes) is var channels && channels is > 0 && channels < known.StreamingMultiprocessors
                ? new CommInterference((double)channels / known.StreamingMultiprocessors, 0).RetainedSpeed(1)
                : 1;
        int sms = t.GetInt("comm_sms");
        if (sms == 0) return 1;
        if (device.Kernels is not { } facts)
        {
            errors.Add(t.ErrorAt("comm_sms", $"needs a GPU with kernel figures (an SM count); device '{device.Name}' has none"));
            return 1;
        }
        if (sms >= facts.StreamingMultiprocessors)
        {
            errors.Add(t.ErrorAt("comm_sms", $"must be below the device's {facts.StreamingMultiprocessors} SMs, got {sms}"));
            return 1;
        }
        return new CommInterference((double)sms / facts.StreamingMultiprocessors, 0).RetainedSpeed(1);
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
                else if (jitter.Cdf(0) > 0) errors.Add(s.ErrorAt("jitter", $"a compute multiplier must never be negative, but {jitter} draws values <= 0 with probability {jitter.Cdf(0):G3}; use a positive family such as lognormal(0, 0.1)"));
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

    private static FailureModel? ReadFailures(ScenarioSection f, int workers, ClusterSpec? cluster, ModelSpec? modelSpec, List<ScenarioError> errors)
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
        if (f.Has("checkpoint_gb_per_s"))
        {
            // The checkpoint's write time from its bytes (weights + optimizer state) over the storage bandwidth.
            if (f.Has("checkpoint_s")) errors.Add(f.ErrorAt("checkpoint_gb_per_s", "give checkpoint_s (the time) or checkpoint_gb_per_s (the storage bandwidth the time follows from), not both"));
            else if (modelSpec is not null) model = model with { CheckpointSeconds = CheckpointSize.WriteSeconds(modelSpec.Parameters, f.GetDouble("checkpoint_gb_per_s") * 1e9) };
        }
        int perNode = cluster?.Node.DevicesPerNode ?? 8;
        double mtbf = model.SystemMtbf(workers, (workers + perNode - 1) / perNode);
        double interval = f.Has("checkpoint_interval_s") ? f.GetDouble("checkpoint_interval_s") : FailureModel.YoungInterval(model.CheckpointSeconds, mtbf);
        if (!(interval > 0)) errors.Add(f.ErrorAt("checkpoint_s", "Young's interval needs checkpoint_s > 0; give checkpoint_interval_s instead"));
        // A job that fails on average before it has recovered never finishes (the run would not end).
        double recovery = model.DetectionSeconds + model.RestartSeconds + model.CheckpointSeconds;
        if (mtbf <= recovery)
            errors.Add(f.ErrorAt(f.Has("gpu_mtbf_hours") ? "gpu_mtbf_hours" : "node_mtbf_hours",
                $"the job as a whole ({workers} GPUs) fails on average every {mtbf:G4} s, sooner than it recovers (detection + restart + checkpoint = {recovery:G4} s), so it would never finish; give a larger MTBF"));
        return model with { CheckpointIntervalSeconds = interval > 0 ? interval : double.PositiveInfinity };
    }
}
