using System.Text.Json;

namespace Sim.Calibration.Traces;

/// <summary>
/// Reads the compact "sim-measurements" JSON that the profiler script writes, checking every
/// field like a customs officer with a checklist: wrong or missing values are reported with their
/// key path (for example <c>$.ops[3].median_s</c>). Version 2 adds <c>cpu_median_s</c> (required)
/// to every collective: the median CPU time one rank's process spent on it; version 1 files are
/// still read, without it. Version 3 adds <c>ddp_pattern</c> (required): the DDP-pattern benchmark
/// (<see cref="DdpPatternMeasurement"/>); older files are read with none. Version 4 adds <c>ddp_steps</c>
/// (required): real DDP steps of synthetic models against the same steps without DDP
/// (<see cref="DdpStepMeasurement"/>); older files are read with none, and profiles fitted from them fall
/// back to the DDP-pattern cost. Version 5 adds to every <c>ddp_steps</c> row <c>solo_main_cpu_median_s</c> and
/// <c>solo_wall_median_s</c> (required): the plain step on one rank alone, for the co-run compute factor, and rows with
/// a world of one: what DDP costs a single process. A <c>ddp_steps</c> row may name its <c>kind</c> ("linear", the
/// default, or "conv": a stack of 3x3 convolutions, measured for the co-run factor of convolutions; same version).
/// Version 6 adds <c>allocator</c> (required): the malloc settings every measured process ran with (the Python profiler
/// pins glibc's thresholds, "default" when nothing was pinned), <c>ddp_buffer_sync</c> (required; <see cref="DdpBufferSyncMeasurement"/>),
/// and times model steps in steady state (consecutive steps, each configuration in a fresh process).
/// Version 7 has the same keys; its two-rank <c>ddp_steps</c> rows are measured as free-running loops (the plain and the
/// DDP model each in their own pair of fresh processes, no barrier per step, as training runs), where earlier versions put a
/// barrier before every step, which hid part of DDP's cost (its gloo threads overlapping the next step).
/// Version 8 adds <c>ddp_buffer_broadcast</c> (required; <see cref="DdpBufferBroadcastMeasurement"/>): two free-running ranks
/// of conv + BatchNorm stacks as the plain model, DDP and DDP without its buffer broadcast.
/// Version 9 measures model steps in short windows taken round-robin over all configurations, each in its fresh process, and
/// adds to every <c>models</c> row <c>step_window_medians_s</c> (optional: the C# writer leaves it out for single-window rows):
/// the windows' median steps, whose median is <c>step_median_s</c>.
/// Version 10 adds <c>speed_reference</c> (required; null where none was measured, as on a GPU): the machine's speed while
/// the steps were measured (<see cref="SpeedReferenceMeasurement"/>, exactly its keys); older files are read without it.
/// </summary>
public static class MeasurementSetReader
{
    public const string Schema = "sim-measurements";
    public const int CurrentVersion = 10;
    public static readonly int[] SupportedVersions = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

    /// <summary>The clocks the profiler may have timed kernels and steps with ("thread_cpu": CPU time of the one
    /// thread that ran torch with one intra-op thread, used by the TorchSharp backend).</summary>
    public static readonly string[] Clocks = ["process_cpu", "thread_cpu", "wall"];

    public static MeasurementSet Read(string path)
    {
        // Invalid UTF-8 inside a string only surfaces when the string is decoded.
        try { return ReadDocument(path); }
        catch (InvalidOperationException e) { throw new TraceFormatException(path, "$", $"invalid text ({e.InnerException?.Message ?? e.Message})", e); }
        catch (TraceFormatException e) when (e.Location.StartsWith('$') && e.FilePath == path)
        {
            // Point into the file: "line 12, column 19, $.speed_reference.window_medians_s[1]".
            if (Gpu.JsonKeyPathLocator.Locate(File.ReadAllBytes(path), e.Location) is not { } at) throw;
            throw new TraceFormatException(path, $"line {at.Line}, column {at.Column}, {e.Location}", e.Problem, e);
        }
    }

    private static MeasurementSet ReadDocument(string path)
    {
        using var doc = JsonFields.Load(path);
        var f = new JsonFields(path);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw f.Error("$", "expected an object");
        string schema = f.String(root, "schema", "$");
        if (schema != Schema) throw f.Error("$.schema", $"expected \"{Schema}\", got \"{schema}\"");
        long version = f.Integer(root, "version", "$");
        if (!SupportedVersions.Any(v => v == version))
            throw f.Error("$.version", $"unsupported version {version} (this build reads {string.Join(" and ", SupportedVersions)})");

        var hw = f.Object(root, "hardware", "$");
        var hardware = new HardwareDescription(
            f.String(hw, "device", "$.hardware"), f.String(hw, "cpu_model", "$.hardware"),
            (int)f.Integer(hw, "cores", "$.hardware", 1, int.MaxValue), (int)f.Integer(hw, "threads", "$.hardware", 1, int.MaxValue),
            f.String(hw, "torch_version", "$.hardware"),
            hw.TryGetProperty("gpu_model", out var gpu) && gpu.ValueKind == JsonValueKind.String ? gpu.GetString() : null,
            hw.TryGetProperty("library", out _) ? f.String(hw, "library", "$.hardware") : null);

        var ops = new List<OpMeasurement>();
        int i = 0;
        foreach (var o in f.Array(root, "ops", "$").EnumerateArray())
        {
            string p = $"$.ops[{i++}]";
            string work = f.String(o, "work", p);
            var kind = work switch
            {
                "flops" => WorkKind.Flops,
                "bytes" => WorkKind.Bytes,
                _ => throw f.Error($"{p}.work", $"expected \"flops\" or \"bytes\", got \"{work}\""),
            };
            ops.Add(new OpMeasurement(f.String(o, "op", p), f.String(o, "class", p), kind, ReadShapes(f, o, p),
                f.Number(o, "flops", p, 0), f.Number(o, "bytes", p, 0), f.Positive(o, "median_s", p)));
            if (ops[^1].WorkAmount <= 0) throw f.Error($"{p}.{work}", "expected a positive amount of work for the op's work kind");
        }

        var models = new List<ModelStepMeasurement>();
        i = 0;
        foreach (var m in f.Array(root, "models", "$").EnumerateArray())
        {
            string p = $"$.models[{i++}]";
            var samples = new List<double>();
            int j = 0;
            foreach (var s in f.Array(m, "step_samples_s", p).EnumerateArray())
            {
                if (s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out double v) || !(v > 0) || !double.IsFinite(v))
                    throw f.Error($"{p}.step_samples_s[{j}]", "expected a positive number of seconds");
                samples.Add(v);
                j++;
            }
            List<double>? windowMedians = null;
            if (version >= 9 && m.TryGetProperty("step_window_medians_s", out _))
            {
                windowMedians = [];
                j = 0;
                foreach (var s in f.Array(m, "step_window_medians_s", p).EnumerateArray())
                {
                    if (s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out double v) || !(v > 0) || !double.IsFinite(v))
                        throw f.Error($"{p}.step_window_medians_s[{j}]", "expected a positive number of seconds");
                    windowMedians.Add(v);
                    j++;
                }
                if (windowMedians.Count == 0) throw f.Error($"{p}.step_window_medians_s", "expected at least one window");
            }
            var layers = new List<LayerMeasurement>();
            int l = 0;
            foreach (var layer in f.Array(m, "layers", p).EnumerateArray())
            {
                string lp = $"{p}.layers[{l++}]";
                layers.Add(new LayerMeasurement(f.String(layer, "name", lp), f.String(layer, "kind", lp),
                    f.Number(layer, "forward_flops", lp, 0), f.Integer(layer, "parameters", lp, 0), f.Integer(layer, "output_bytes", lp, 0),
                    f.Number(layer, "forward_s", lp, 0), f.Number(layer, "backward_s", lp, 0),
                    // buffer_bytes: optional (written by the profiler since 2026-12-07; older files have none)
                    layer.TryGetProperty("buffer_bytes", out _) ? f.Integer(layer, "buffer_bytes", lp, 0) : 0,
                    // parameter_tensors: optional (v6 profiler runs write it)
                    layer.TryGetProperty("parameter_tensors", out _) ? (int)f.Integer(layer, "parameter_tensors", lp, 0, int.MaxValue) : null,
                    layer.TryGetProperty("buffer_tensors", out _) ? (int)f.Integer(layer, "buffer_tensors", lp, 0, int.MaxValue) : null));
            }
            models.Add(new ModelStepMeasurement(f.String(m, "model", p), (int)f.Integer(m, "batch", p, 1, int.MaxValue),
                f.Positive(m, "forward_flops", p), f.Positive(m, "train_flops", p), f.Integer(m, "parameters", p, 0),
                f.Positive(m, "step_median_s", p), samples, layers, windowMedians));
        }

        var collectives = new List<CollectiveMeasurement>();
        i = 0;
        foreach (var c in f.Array(root, "collectives", "$").EnumerateArray())
        {
            string p = $"$.collectives[{i++}]";
            collectives.Add(new CollectiveMeasurement(f.String(c, "backend", p), f.String(c, "op", p),
                (int)f.Integer(c, "world", p, 1, int.MaxValue), f.Integer(c, "bytes", p, 1), f.Positive(c, "median_s", p),
                version >= 2 ? f.Positive(c, "cpu_median_s", p) : null));
        }
        var pattern = new List<DdpPatternMeasurement>();
        if (version >= 3)
        {
            i = 0;
            foreach (var d in f.Array(root, "ddp_pattern", "$").EnumerateArray())
            {
                string p = $"$.ddp_pattern[{i++}]";
                var row = new DdpPatternMeasurement(f.String(d, "backend", p), (int)f.Integer(d, "world", p, 2, int.MaxValue),
                    f.Integer(d, "bucket_bytes", p, 1), (int)f.Integer(d, "buckets", p, 1, int.MaxValue), f.Number(d, "compute_flops", p, 0),
                    (int)f.Integer(d, "steps", p, 1, int.MaxValue), f.Positive(d, "wall_median_s", p), f.Positive(d, "cpu_median_s", p),
                    f.Positive(d, "main_cpu_median_s", p), f.Positive(d, "compute_wall_median_s", p), f.Positive(d, "compute_cpu_median_s", p));
                if (row.MainThreadCpuSeconds > row.CpuSeconds * (1 + 1e-9))
                    throw f.Error($"{p}.main_cpu_median_s", "expected at most cpu_median_s (one thread of the process)");
                pattern.Add(row);
            }
        }
        var ddpSteps = version >= 4 ? ReadDdpSteps(f, root, version) : [];
        string clock = f.String(root, "clock", "$");
        if (Array.IndexOf(Clocks, clock) < 0) throw f.Error("$.clock", $"expected one of {string.Join(", ", Clocks)}, got \"{clock}\"");
        string? allocator = version >= 6 ? f.String(root, "allocator", "$") : null;
        var bufferSync = new List<DdpBufferSyncMeasurement>();
        if (version >= 6)
        {
            i = 0;
            foreach (var d in f.Array(root, "ddp_buffer_sync", "$").EnumerateArray())
            {
                string p = $"$.ddp_buffer_sync[{i++}]";
                bufferSync.Add(new DdpBufferSyncMeasurement(f.String(d, "backend", p), (int)f.Integer(d, "world", p, 1, int.MaxValue),
                    (int)f.Integer(d, "layers", p, 1, int.MaxValue), (int)f.Integer(d, "width", p, 1, int.MaxValue),
                    (int)f.Integer(d, "tensors", p, 1, int.MaxValue), f.Integer(d, "bytes", p, 1), (int)f.Integer(d, "calls", p, 1, int.MaxValue),
                    f.Positive(d, "cpu_median_s", p)));
            }
        }
        var broadcast = version >= 8 ? ReadDdpBufferBroadcast(f, root) : [];
        var reference = version >= 10 ? ReadSpeedReference(f, root) : null;
        return new MeasurementSet(f.String(root, "created", "$"), clock, hardware, ops, models, collectives, pattern, ddpSteps, allocator, bufferSync,
            broadcast, reference);
    }

    /// <summary>v10's <c>speed_reference</c>: null, or an object with exactly <see cref="SpeedReferenceMeasurement.Keys"/>, whose
    /// window lists are equally long lists of positive seconds.</summary>
    private static SpeedReferenceMeasurement? ReadSpeedReference(JsonFields f, JsonElement root)
    {
        const string p = "$.speed_reference";
        if (!root.TryGetProperty("speed_reference", out var r)) throw f.Error(p, "missing (expected an object, or null where no reference was measured)");
        if (r.ValueKind == JsonValueKind.Null) return null;
        if (r.ValueKind != JsonValueKind.Object) throw f.Error(p, $"expected an object or null, got {r.ValueKind}");
        f.OnlyKeys(r, p, SpeedReferenceMeasurement.Keys);
        string mix = f.String(r, "mix", p);
        string clock = f.String(r, "clock", p);
        if (clock != "process_cpu") throw f.Error($"{p}.clock", $"expected \"process_cpu\" (the reference is timed on one thread's process CPU clock), got \"{clock}\"");
        var lists = new List<IReadOnlyList<double>>();
        foreach (var key in SpeedReferenceMeasurement.Keys.Where(k => k.EndsWith("window_medians_s", StringComparison.Ordinal)))
        {
            var values = new List<double>();
            int j = 0;
            foreach (var v in f.Array(r, key, p).EnumerateArray())
            {
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !(d > 0) || !double.IsFinite(d))
                    throw f.Error($"{p}.{key}[{j}]", "expected a positive number of seconds");
                values.Add(d);
                j++;
            }
            if (values.Count == 0) throw f.Error($"{p}.{key}", "expected at least one window");
            if (lists.Count > 0 && values.Count != lists[0].Count)
                throw f.Error($"{p}.{key}", $"expected {lists[0].Count} windows (as window_medians_s), got {values.Count}");
            lists.Add(values);
        }
        return new SpeedReferenceMeasurement(mix, clock, lists[0], lists[1], lists[2], lists[3], lists[4],
            f.Positive(r, "kernel_grid_before_s", p), f.Positive(r, "kernel_grid_after_s", p));
    }

    private static List<DdpBufferBroadcastMeasurement> ReadDdpBufferBroadcast(JsonFields f, JsonElement root)
    {
        var rows = new List<DdpBufferBroadcastMeasurement>();
        int i = 0;
        foreach (var d in f.Array(root, "ddp_buffer_broadcast", "$").EnumerateArray())
        {
            string p = $"$.ddp_buffer_broadcast[{i++}]";
            var sizes = ReadBucketSizes(f, d, p);
            // DDP's variants run gloo's threads beside the compute thread, so their process CPU is above the compute thread's; the
            // plain model runs on its compute thread alone, where the two medians (over different steps) may cross by a tick
            FreeRunningStep Variant(string prefix)
            {
                var v = new FreeRunningStep(f.Positive(d, prefix + "cpu_median_s", p), f.Positive(d, prefix + "main_cpu_median_s", p),
                    f.Positive(d, prefix + "wall_median_s", p), f.Positive(d, prefix + "cpu_mean_s", p));
                if (prefix != "plain_" && v.MainThreadCpuSeconds > v.CpuSeconds * (1 + 1e-9))
                    throw f.Error($"{p}.{prefix}main_cpu_median_s", $"expected at most {prefix}cpu_median_s (one thread of the process)");
                return v;
            }
            var row = new DdpBufferBroadcastMeasurement(f.String(d, "backend", p), (int)f.Integer(d, "world", p, 2, int.MaxValue),
                (int)f.Integer(d, "batch", p, 1, int.MaxValue), (int)f.Integer(d, "blocks", p, 1, int.MaxValue), (int)f.Integer(d, "width", p, 1, int.MaxValue),
                (int)f.Integer(d, "map_size", p, 1, int.MaxValue), (int)f.Integer(d, "tensors", p, 1, int.MaxValue), f.Integer(d, "bytes", p, 1),
                (int)f.Integer(d, "buffer_tensors", p, 1, int.MaxValue), f.Integer(d, "buffer_bytes", p, 1), f.Integer(d, "bucket_cap_bytes", p, 1), sizes,
                (int)f.Integer(d, "steps", p, 1, int.MaxValue), Variant(""), Variant("nobuf_"), Variant("plain_"));
            if (sizes.Sum() != row.Bytes)
                throw f.Error($"{p}.bucket_sizes", $"expected buckets adding up to bytes ({row.Bytes}), got {sizes.Sum()}");
            rows.Add(row);
        }
        return rows;
    }

    private static List<long> ReadBucketSizes(JsonFields f, JsonElement row, string p)
    {
        var sizes = new List<long>();
        int k = 0;
        foreach (var b in f.Array(row, "bucket_sizes", p).EnumerateArray())
        {
            if (b.ValueKind != JsonValueKind.Number || !b.TryGetInt64(out long v) || v < 1)
                throw f.Error($"{p}.bucket_sizes[{k}]", "expected a positive whole number of bytes");
            sizes.Add(v);
            k++;
        }
        if (sizes.Count == 0) throw f.Error($"{p}.bucket_sizes", "expected at least one bucket");
        return sizes;
    }

    private static List<DdpStepMeasurement> ReadDdpSteps(JsonFields f, JsonElement root, long version)
    {
        var rows = new List<DdpStepMeasurement>();
        int i = 0;
        foreach (var d in f.Array(root, "ddp_steps", "$").EnumerateArray())
        {
            string p = $"$.ddp_steps[{i++}]";
            var sizes = ReadBucketSizes(f, d, p);
            // v5 adds rows with a world of one (DDP in a single process); earlier versions had two ranks or more
            var row = new DdpStepMeasurement(f.String(d, "backend", p), (int)f.Integer(d, "world", p, version >= 5 ? 1 : 2, int.MaxValue),
                (int)f.Integer(d, "layers", p, 1, int.MaxValue), (int)f.Integer(d, "width", p, 1, int.MaxValue), f.Integer(d, "bytes", p, 1),
                f.Integer(d, "bucket_cap_bytes", p, 1), sizes, (int)f.Integer(d, "steps", p, 1, int.MaxValue),
                f.Positive(d, "cpu_median_s", p), f.Positive(d, "main_cpu_median_s", p), f.Positive(d, "plain_cpu_median_s", p),
                f.Positive(d, "plain_main_cpu_median_s", p), f.Positive(d, "wall_median_s", p), f.Positive(d, "plain_wall_median_s", p),
                version >= 5 ? f.Positive(d, "solo_main_cpu_median_s", p) : null, version >= 5 ? f.Positive(d, "solo_wall_median_s", p) : null,
                ReadKind(f, d, p),
                // tensors: the synthetic model's parameter tensors (v6 adds stacks with biases; absent: one per layer)
                d.TryGetProperty("tensors", out _) ? (int)f.Integer(d, "tensors", p, 1, int.MaxValue) : null,
                // v8: the loops' mean process CPU per step (optional; absent: DDP's cost is read from the medians)
                version >= 8 && d.TryGetProperty("cpu_mean_s", out _) ? f.Positive(d, "cpu_mean_s", p) : null,
                version >= 8 && d.TryGetProperty("cpu_mean_s", out _) ? f.Positive(d, "plain_cpu_mean_s", p) : null);
            if (sizes.Sum() != row.Bytes)
                throw f.Error($"{p}.bucket_sizes", $"expected buckets adding up to bytes ({row.Bytes}), got {sizes.Sum()}");
            if (row.MainThreadCpuSeconds > row.CpuSeconds * (1 + 1e-9))
                throw f.Error($"{p}.main_cpu_median_s", "expected at most cpu_median_s (one thread of the process)");
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>A ddp_steps row's optional "kind" (the profiler adds convolution stacks for their own co-run factor;
    /// rows without one are the Linear stacks every version has).</summary>
    private static string ReadKind(JsonFields f, JsonElement row, string path)
    {
        if (!row.TryGetProperty("kind", out _)) return DdpStepMeasurement.Linear;
        string kind = f.String(row, "kind", path);
        return kind is DdpStepMeasurement.Linear or DdpStepMeasurement.Conv ? kind
            : throw f.Error($"{path}.kind", $"expected \"{DdpStepMeasurement.Linear}\" or \"{DdpStepMeasurement.Conv}\", got \"{kind}\"");
    }

    private static IReadOnlyList<IReadOnlyList<long>> ReadShapes(JsonFields f, JsonElement op, string path)
    {
        var shapes = new List<IReadOnlyList<long>>();
        int k = 0;
        foreach (var shape in f.Array(op, "shapes", path).EnumerateArray())
        {
            if (shape.ValueKind != JsonValueKind.Array) throw f.Error($"{path}.shapes[{k}]", "expected an array of dimensions");
            var dims = new List<long>();
            foreach (var d in shape.EnumerateArray())
            {
                if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long v) || v < 0)
                    throw f.Error($"{path}.shapes[{k}]", "expected non-negative integer dimensions");
                dims.Add(v);
            }
            shapes.Add(dims);
            k++;
        }
        return shapes;
    }
}
