using System.Text.Json;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Gpu;

/// <summary>
/// Reads a "sim-gpu-measurements" file, v2 (with the soak) or v1 (without). Every mistake is a <see cref="TraceFormatException"/>
/// naming the file, the line and column and the key path (e.g. <c>line 12, column 19, $.gemms[3].seconds</c>;
/// a missing key points at its enclosing object) or, for malformed JSON, the line, and what was expected; unknown keys are refused so a misspelt one is not silently ignored.
/// </summary>
public static class GpuMeasurementReader
{
    /// <summary>Most entries any list may hold (a full GPU grid has a few hundred).</summary>
    public const int MaxEntries = 100_000;

    public static GpuMeasurementSet Read(string path)
    {
        try { return ReadDocument(path); }
        catch (TraceFormatException e) when (e.Location.StartsWith('$'))
        {
            // Point into the file: "line 12, column 19, $.gemms[0].seconds".
            if (JsonKeyPathLocator.Locate(File.ReadAllBytes(path), e.Location) is not { } at) throw;
            throw new TraceFormatException(path, $"line {at.Line}, column {at.Column}, {e.Location}", e.Problem, e);
        }
    }

    private static GpuMeasurementSet ReadDocument(string path)
    {
        using var doc = JsonFields.Load(path);
        var f = new JsonFields(path);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw f.Error("$", $"expected an object, got {root.ValueKind}");
        f.OnlyKeys(root, "$", "format", "version", "device", "date", "dtype", "launch_overhead", "gemms", "attention", "memory", "block_step", "soak");
        string format = f.String(root, "format", "$");
        if (format != GpuMeasurementSet.Format) throw f.Error("$.format", $"expected '{GpuMeasurementSet.Format}', got '{format}'");
        long version = f.Integer(root, "version", "$");
        if (version is not (1 or GpuMeasurementSet.Version)) throw f.Error("$.version", $"expected 1 or {GpuMeasurementSet.Version}, got {version}");
        if (version == 1 && root.TryGetProperty("soak", out _)) throw f.Error("$.soak", "is a version 2 key; set version to 2");
        var soak = version >= 2 ? Soak(f, f.Object(root, "soak", "$")) : null;

        var device = f.Object(root, "device", "$");
        f.OnlyKeys(device, "$.device", "kind", "name", "sms", "torch", "cuda");
        string kind = f.String(device, "kind", "$.device");
        if (kind is not ("cuda" or "cpu")) throw f.Error("$.device.kind", $"expected 'cuda' or 'cpu', got '{kind}'");

        var overhead = f.Object(root, "launch_overhead", "$");
        f.OnlyKeys(overhead, "$.launch_overhead", "kernels", "seconds_per_kernel");
        f.Integer(overhead, "kernels", "$.launch_overhead", 1);

        var gemms = List(f, root, "gemms", (e, p) =>
        {
            f.OnlyKeys(e, p, "m", "n", "k", "seconds", "held_out");
            return new GemmMeasurement(f.Integer(e, "m", p, 1, int.MaxValue), f.Integer(e, "n", p, 1, int.MaxValue), f.Integer(e, "k", p, 1, int.MaxValue),
                f.Positive(e, "seconds", p), f.Required(e, "held_out", p, JsonValueKind.True).GetBoolean());
        });
        if (!gemms.Any(g => !g.HeldOut)) throw f.Error("$.gemms", "expected at least one GEMM with held_out false (the fitting grid)");
        var attention = List(f, root, "attention", (e, p) => Attention(f, e, p));
        var memory = List(f, root, "memory", (e, p) =>
        {
            f.OnlyKeys(e, p, "op", "bytes", "seconds");
            return new MemoryMeasurement(f.String(e, "op", p), f.Positive(e, "bytes", p), f.Positive(e, "seconds", p));
        });

        var step = f.Object(root, "block_step", "$");
        const string sp = "$.block_step";
        f.OnlyKeys(step, sp, "batch", "seq", "hidden", "heads", "ffn", "seconds");
        int hidden = (int)f.Integer(step, "hidden", sp, 1, 1 << 20), heads = (int)f.Integer(step, "heads", sp, 1, 1 << 16);
        if (hidden % heads != 0) throw f.Error(sp + ".heads", $"expected a divisor of hidden {hidden}, got {heads}");
        var block = new BlockStepMeasurement((int)f.Integer(step, "batch", sp, 1, 1 << 20), (int)f.Integer(step, "seq", sp, 1, 1 << 24), hidden, heads,
            (int)f.Integer(step, "ffn", sp, 1, 1 << 24), f.Positive(step, "seconds", sp));

        return new GpuMeasurementSet
        {
            FilePath = path, DeviceKind = kind, DeviceName = f.String(device, "name", "$.device"),
            StreamingMultiprocessors = (int)f.Integer(device, "sms", "$.device", 1, int.MaxValue),
            TorchVersion = f.String(device, "torch", "$.device"), CudaVersion = f.String(device, "cuda", "$.device"),
            Date = f.String(root, "date", "$"), DataType = f.String(root, "dtype", "$"),
            KernelOverheadSeconds = f.Positive(overhead, "seconds_per_kernel", "$.launch_overhead"),
            Gemms = gemms, Attention = attention, Memory = memory, BlockStep = block, Soak = soak,
        };
    }

    private static SoakMeasurement Soak(JsonFields f, JsonElement e)
    {
        const string p = "$.soak";
        f.OnlyKeys(e, p, "m", "n", "k", "soak_seconds", "burst_seconds", "sustained_seconds", "burst_clock_mhz", "sustained_clock_mhz");
        double? Clock(string key) => e.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null ? f.Positive(e, key, p) : null;
        return new SoakMeasurement(f.Integer(e, "m", p, 1, int.MaxValue), f.Integer(e, "n", p, 1, int.MaxValue), f.Integer(e, "k", p, 1, int.MaxValue),
            f.Positive(e, "soak_seconds", p), f.Positive(e, "burst_seconds", p), f.Positive(e, "sustained_seconds", p), Clock("burst_clock_mhz"), Clock("sustained_clock_mhz"));
    }

    private static AttentionMeasurement Attention(JsonFields f, JsonElement e, string p)
    {
        f.OnlyKeys(e, p, "batch", "heads", "seq", "head_dim", "causal", "forward_seconds", "backward_seconds");
        return new AttentionMeasurement((int)f.Integer(e, "batch", p, 1, int.MaxValue), (int)f.Integer(e, "heads", p, 1, int.MaxValue),
            (int)f.Integer(e, "seq", p, 1, int.MaxValue), (int)f.Integer(e, "head_dim", p, 1, int.MaxValue),
            f.Required(e, "causal", p, JsonValueKind.True).GetBoolean(), f.Positive(e, "forward_seconds", p), f.Positive(e, "backward_seconds", p));
    }

    private static List<T> List<T>(JsonFields f, JsonElement obj, string key, Func<JsonElement, string, T> read)
    {
        const string parent = "$";
        var array = f.Array(obj, key, parent);
        int count = array.GetArrayLength();
        if (count == 0) throw f.Error($"{parent}.{key}", "expected at least one entry");
        if (count > MaxEntries) throw f.Error($"{parent}.{key}", $"expected at most {MaxEntries} entries, got {count}");
        var list = new List<T>(count);
        int i = 0;
        foreach (var e in array.EnumerateArray())
        {
            string p = $"{parent}.{key}[{i++}]";
            if (e.ValueKind != JsonValueKind.Object) throw f.Error(p, $"expected an object, got {e.ValueKind}");
            list.Add(read(e, p));
        }
        return list;
    }
}
