using System.Text.Json;
using Sim.Calibration.Fitting;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Profiles;

/// <summary>
/// Reads and validates a calibration profile, like a border check of a passport: schema and
/// version first, then every field, with errors naming the file and key path
/// (e.g. <c>profile.json: $.links[0].beta_s_per_byte: expected a number &gt; 0, got -1</c>).
/// Unknown keys are errors, so a misspelt key is never silently ignored.
/// </summary>
public static class CalibrationProfileReader
{
    public static CalibrationProfile Read(string path)
    {
        // Invalid UTF-8 inside a string only surfaces when the string is decoded.
        try { return ReadDocument(path); }
        catch (InvalidOperationException e) { throw new TraceFormatException(path, "$", $"invalid text ({e.InnerException?.Message ?? e.Message})", e); }
    }

    private static CalibrationProfile ReadDocument(string path)
    {
        using var doc = JsonFields.Load(path);
        var f = new JsonFields(path);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw f.Error("$", "expected an object");
        f.OnlyKeys(root, "$", "schema", "version", "created", "clock", "hardware", "roofline", "operations", "operation_classes", "models", "links", "jitter", "sources");
        string schema = f.String(root, "schema", "$");
        if (schema != CalibrationProfile.Schema) throw f.Error("$.schema", $"expected \"{CalibrationProfile.Schema}\", got \"{schema}\"");
        long version = f.Integer(root, "version", "$");
        if (!CalibrationProfile.SupportedSchemaVersions.Any(v => v == version))
            throw f.Error("$.version", $"unsupported version {version} (this build reads versions {string.Join(" and ", CalibrationProfile.SupportedSchemaVersions)})");

        var hw = f.Object(root, "hardware", "$");
        f.OnlyKeys(hw, "$.hardware", "device", "cpu_model", "cores", "threads", "torch_version", "gpu_model", "library");
        var hardware = new HardwareDescription(f.String(hw, "device", "$.hardware"), f.String(hw, "cpu_model", "$.hardware"),
            (int)f.Integer(hw, "cores", "$.hardware", 1, int.MaxValue), (int)f.Integer(hw, "threads", "$.hardware", 1, int.MaxValue),
            f.String(hw, "torch_version", "$.hardware"), hw.TryGetProperty("gpu_model", out _) ? f.String(hw, "gpu_model", "$.hardware") : null,
            hw.TryGetProperty("library", out _) ? f.String(hw, "library", "$.hardware") : null);

        var rf = f.Object(root, "roofline", "$");
        f.OnlyKeys(rf, "$.roofline", "peak_flops_per_s", "memory_bytes_per_s", "source");
        var roofline = new Roofline(f.Positive(rf, "peak_flops_per_s", "$.roofline"), f.Positive(rf, "memory_bytes_per_s", "$.roofline"),
            f.String(rf, "source", "$.roofline"));

        var operations = ReadOperations(f, root, "operations");
        var classes = ReadOperations(f, root, "operation_classes");

        var models = new List<ModelStepFit>();
        int i = 0;
        foreach (var m in f.Array(root, "models", "$").EnumerateArray())
        {
            string p = $"$.models[{i++}]";
            f.OnlyKeys(m, p, "model", "train_flops_per_sample", "curve", "points", "median_relative_error");
            models.Add(new ModelStepFit(f.String(m, "model", p), f.Positive(m, "train_flops_per_sample", p), ReadCurve(f, m, p),
                (int)f.Integer(m, "points", p, 1, int.MaxValue), f.Number(m, "median_relative_error", p, 0)));
        }

        var links = new List<LinkFit>();
        i = 0;
        foreach (var l in f.Array(root, "links", "$").EnumerateArray())
        {
            string p = $"$.links[{i++}]";
            f.OnlyKeys(l, p, ["link_class", "backend", "collective", "ranks", "alpha_s", "beta_s_per_byte", "points", "median_relative_error",
                .. version >= 2 ? HostCpuKeys("cpu") : [], .. version >= 3 ? HostCpuKeys("ddp_cpu") : [], .. version >= 4 ? HostCpuKeys("ddp_step_cpu") : [],
                .. version >= 5 ? HostCpuKeys("ddp_step_wall") : [], .. version >= 5 ? HostCpuKeys("ddp_alone_cpu") : [], .. version >= 5 ? (string[])["co_run_compute_factor", "co_run_conv_compute_factor"] : [],
                .. version >= 6 ? (string[])["ddp_step_cpu_s_per_tensor", "ddp_alone_cpu_s_per_tensor", "ddp_alone_buffer_sync_s", "ddp_alone_buffer_sync_s_per_tensor",
                    "ddp_alone_buffer_sync_median_relative_error", "ddp_alone_compute_thread_share"] : [],
                .. version >= 7 ? (string[])["ddp_buffer_broadcast_s", "ddp_buffer_broadcast_s_per_tensor", "ddp_buffer_broadcast_median_relative_error"] : [],
                .. version >= 8 ? (string[])["ddp_buffer_broadcast_wall_s", "ddp_buffer_broadcast_wall_s_per_tensor", "ddp_buffer_broadcast_wall_median_relative_error"] : [],
                .. version >= 9 ? (string[])["ddp_alone_cpu_s_per_step"] : []]);
            var cpu = ReadHostCpu(f, l, p, "cpu");
            var cpuInDdp = ReadHostCpu(f, l, p, "ddp_cpu");
            var cpuOfDdpStep = ReadHostCpu(f, l, p, "ddp_step_cpu");
            var wall = ReadLine(f, l, p, "ddp_step_wall") is { } w ? new DdpBucketWallTime(w.Line, w.MedianRelativeError) : null;
            double? coRun = l.TryGetProperty("co_run_compute_factor", out _) ? f.Positive(l, "co_run_compute_factor", p) : null;
            double? convCoRun = l.TryGetProperty("co_run_conv_compute_factor", out _) ? f.Positive(l, "co_run_conv_compute_factor", p) : null;
            var alone = ReadHostCpu(f, l, p, "ddp_alone_cpu");
            double? perTensor = l.TryGetProperty("ddp_step_cpu_s_per_tensor", out _) ? f.Positive(l, "ddp_step_cpu_s_per_tensor", p) : null;
            double? alonePerTensor = l.TryGetProperty("ddp_alone_cpu_s_per_tensor", out _) ? f.Positive(l, "ddp_alone_cpu_s_per_tensor", p) : null;
            // v9: a single process's DDP cost once per step, beside its per-bucket line and per-tensor term
            double? alonePerStep = l.TryGetProperty("ddp_alone_cpu_s_per_step", out _) ? f.Positive(l, "ddp_alone_cpu_s_per_step", p) : null;
            double? share = l.TryGetProperty("ddp_alone_compute_thread_share", out _) ? f.Number(l, "ddp_alone_compute_thread_share", p, 0) : null;
            if (share > 1) throw f.Error($"{p}.ddp_alone_compute_thread_share", $"expected a share between 0 and 1, got {share}");
            var bufferSync = l.TryGetProperty("ddp_alone_buffer_sync_s", out _)
                ? new DdpBufferSyncCost(f.Number(l, "ddp_alone_buffer_sync_s", p, 0), f.Positive(l, "ddp_alone_buffer_sync_s_per_tensor", p),
                    f.Number(l, "ddp_alone_buffer_sync_median_relative_error", p, 0))
                : null;
            // v7: the two-rank broadcast's line may be flat in the tensors (Theil-Sen, slope held at zero or above)
            var broadcast = l.TryGetProperty("ddp_buffer_broadcast_s", out _)
                ? new DdpBufferSyncCost(f.Number(l, "ddp_buffer_broadcast_s", p, 0), f.Number(l, "ddp_buffer_broadcast_s_per_tensor", p, 0),
                    f.Number(l, "ddp_buffer_broadcast_median_relative_error", p, 0))
                : null;
            // v8: the wall the broadcast adds to a free-running two-rank step, the same kind of line
            var broadcastWall = l.TryGetProperty("ddp_buffer_broadcast_wall_s", out _)
                ? new DdpBufferSyncCost(f.Number(l, "ddp_buffer_broadcast_wall_s", p, 0), f.Number(l, "ddp_buffer_broadcast_wall_s_per_tensor", p, 0),
                    f.Number(l, "ddp_buffer_broadcast_wall_median_relative_error", p, 0))
                : null;
            string collective = f.String(l, "collective", p);
            if (Array.IndexOf(CollectiveBusFactors.Known, collective) < 0)
                throw f.Error($"{p}.collective", $"expected one of {string.Join(", ", CollectiveBusFactors.Known)}, got \"{collective}\"");
            links.Add(new LinkFit(f.String(l, "link_class", p), f.String(l, "backend", p), collective, (int)f.Integer(l, "ranks", p, 1, int.MaxValue),
                new LinkCost(f.Number(l, "alpha_s", p, 0), f.Positive(l, "beta_s_per_byte", p)),
                (int)f.Integer(l, "points", p, 1, int.MaxValue), f.Number(l, "median_relative_error", p, 0), cpu, cpuInDdp, cpuOfDdpStep, wall, coRun, alone, convCoRun,
                perTensor, alonePerTensor, bufferSync, share, broadcast, broadcastWall, alonePerStep));
        }

        JitterModel? jitter = null;
        if (root.TryGetProperty("jitter", out _))
        {
            var j = f.Object(root, "jitter", "$");
            f.OnlyKeys(j, "$.jitter", "family", "parameters", "log_likelihood", "aic", "samples", "aic_by_family");
            string family = f.String(j, "family", "$.jitter");
            string[] expected = family switch
            {
                "lognormal" => ["mu", "sigma"],
                "gamma" => ["rate", "shape"],
                _ => throw f.Error("$.jitter.family", $"expected \"lognormal\" or \"gamma\", got \"{family}\""),
            };
            var pars = f.Object(j, "parameters", "$.jitter");
            f.OnlyKeys(pars, "$.jitter.parameters", expected);
            var parameters = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var name in expected)
                parameters[name] = name == "mu" ? f.Number(pars, name, "$.jitter.parameters") : f.Positive(pars, name, "$.jitter.parameters");
            var aics = new SortedDictionary<string, double>(StringComparer.Ordinal);
            foreach (var a in f.Object(j, "aic_by_family", "$.jitter").EnumerateObject())
                aics[a.Name] = f.Number(f.Object(j, "aic_by_family", "$.jitter"), a.Name, "$.jitter.aic_by_family");
            jitter = new JitterModel(family, parameters, f.Number(j, "log_likelihood", "$.jitter"), f.Number(j, "aic", "$.jitter"),
                (int)f.Integer(j, "samples", "$.jitter", 1, int.MaxValue), aics);
        }

        var sources = new List<SourceFile>();
        i = 0;
        foreach (var s in f.Array(root, "sources", "$").EnumerateArray())
        {
            string p = $"$.sources[{i++}]";
            f.OnlyKeys(s, p, "name", "kind", "records");
            sources.Add(new SourceFile(f.String(s, "name", p), f.String(s, "kind", p), f.Integer(s, "records", p, 0)));
        }

        string clock = f.String(root, "clock", "$");
        if (Array.IndexOf(MeasurementSetReader.Clocks, clock) < 0)
            throw f.Error("$.clock", $"expected one of {string.Join(", ", MeasurementSetReader.Clocks)}, got \"{clock}\"");
        return new CalibrationProfile((int)version, f.String(root, "created", "$"), clock, hardware, roofline,
            operations, classes, models, links, jitter, sources);
    }

    private static List<OperationFit> ReadOperations(JsonFields f, JsonElement root, string key)
    {
        var list = new List<OperationFit>();
        int i = 0;
        foreach (var o in f.Array(root, key, "$").EnumerateArray())
        {
            string p = $"$.{key}[{i++}]";
            f.OnlyKeys(o, p, "name", "class", "work", "curve", "table", "median_relative_error");
            string work = f.String(o, "work", p);
            var kind = work switch
            {
                "flops" => WorkKind.Flops,
                "bytes" => WorkKind.Bytes,
                _ => throw f.Error($"{p}.work", $"expected \"flops\" or \"bytes\", got \"{work}\""),
            };
            list.Add(new OperationFit(f.String(o, "name", p), f.String(o, "class", p), kind, ReadCurve(f, o, p),
                ReadTable(f, o, p), f.Number(o, "median_relative_error", p, 0)));
        }
        return list;
    }

    private static MeasuredTable ReadTable(JsonFields f, JsonElement parent, string path)
    {
        var points = new List<(double, double)>();
        int k = 0;
        foreach (var row in f.Array(parent, "table", path).EnumerateArray())
        {
            string p = $"{path}.table[{k++}]";
            if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() != 2)
                throw f.Error(p, "expected a pair [work, seconds]");
            double work = row[0].ValueKind == JsonValueKind.Number ? row[0].GetDouble() : double.NaN;
            double seconds = row[1].ValueKind == JsonValueKind.Number ? row[1].GetDouble() : double.NaN;
            if (!(work > 0) || !(seconds > 0) || !double.IsFinite(work) || !double.IsFinite(seconds))
                throw f.Error(p, "expected two positive numbers [work, seconds]");
            points.Add((work, seconds));
        }
        if (points.Count == 0) throw f.Error($"{path}.table", "expected at least one measured point");
        return new MeasuredTable(points);
    }

    private static SaturatingEfficiencyCurve ReadCurve(JsonFields f, JsonElement parent, string path)
    {
        var c = f.Object(parent, "curve", path);
        string p = path + ".curve";
        f.OnlyKeys(c, p, "max_rate", "half_rate_work", "sharpness");
        return new SaturatingEfficiencyCurve(f.Positive(c, "max_rate", p), f.Positive(c, "half_rate_work", p), f.Positive(c, "sharpness", p));
    }

    private static string[] HostCpuKeys(string prefix) => [$"{prefix}_alpha_s", $"{prefix}_beta_s_per_byte", $"{prefix}_median_relative_error"];

    /// <summary>A link's host CPU cost under <paramref name="prefix"/> ("cpu": isolated calls, v2; "ddp_cpu": DDP's pattern, v3;
    /// "ddp_step_cpu": real DDP steps, v4; "ddp_alone_cpu": DDP in a single process, v5), or null when absent.</summary>
    private static HostCpuCost? ReadHostCpu(JsonFields f, JsonElement link, string path, string prefix) =>
        ReadLine(f, link, path, prefix) is { } found ? new HostCpuCost(found.Line, found.MedianRelativeError) : null;

    /// <summary>A fitted line a + b S with its median relative error under <paramref name="prefix"/>, or null when absent.</summary>
    private static (LinkCost Line, double MedianRelativeError)? ReadLine(JsonFields f, JsonElement link, string path, string prefix)
    {
        var keys = HostCpuKeys(prefix);
        if (!keys.Any(k => link.TryGetProperty(k, out _))) return null;
        return (new LinkCost(f.Number(link, keys[0], path, 0), f.Positive(link, keys[1], path)), f.Number(link, keys[2], path, 0));
    }
}
