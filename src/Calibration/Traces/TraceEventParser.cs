using System.Text.Json;

namespace Sim.Calibration.Traces;

/// <summary>
/// Turns the bytes of one trace event object into a <see cref="TraceEvent"/>, like a clerk who
/// copies one form into the ledger and sends it back with a note when a box is missing or holds
/// the wrong kind of value.
/// </summary>
internal static class TraceEventParser
{
    /// <summary>Parses one complete event object; problems are reported as messages naming the key.</summary>
    public static TraceEvent Parse(ReadOnlySpan<byte> json, TraceReaderLimits limits, Func<string, Exception> fail)
    {
        try { return ParseObject(json, limits, fail); }
        catch (InvalidOperationException e) { throw fail($"invalid text ({e.InnerException?.Message ?? e.Message})"); }
        catch (JsonException e) { throw fail($"malformed JSON ({e.Message})"); }
    }

    private static TraceEvent ParseObject(ReadOnlySpan<byte> json, TraceReaderLimits limits, Func<string, Exception> fail)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = limits.MaxDepth });
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject) throw fail("expected an event object");

        string? name = null, phase = null, category = null, pid = null, tid = null;
        double? ts = null, dur = null;
        List<IReadOnlyList<long>>? dims = null;
        long? seq = null, external = null, stream = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            reader.Read();
            switch (key)
            {
                case "name": name = ReadString(ref reader, key, limits, fail); break;
                case "ph": phase = ReadString(ref reader, key, limits, fail); break;
                case "cat": category = ReadString(ref reader, key, limits, fail); break;
                case "ts": ts = ReadNumber(ref reader, key, fail); break;
                case "dur": dur = ReadNumber(ref reader, key, fail); break;
                case "pid": pid = ReadIdentifier(ref reader, key, limits, fail); break;
                case "tid": tid = ReadIdentifier(ref reader, key, limits, fail); break;
                case "args":
                    if (reader.TokenType != JsonTokenType.StartObject) throw fail($"key 'args': expected an object, got {reader.TokenType}");
                    ReadArgs(ref reader, limits, fail, ref dims, ref seq, ref external, ref stream);
                    break;
                default: reader.Skip(); break;
            }
        }

        if (name is null) throw fail("missing key 'name' (expected a string)");
        if (phase is null) throw fail("missing key 'ph' (expected a string such as \"X\")");
        if (phase == "X")
        {
            if (ts is null) throw fail("missing key 'ts' (expected a number of microseconds)");
            if (dur is null) throw fail("missing key 'dur' (expected a number of microseconds)");
            if (dur < 0) throw fail($"key 'dur': expected a non-negative duration, got {dur}");
        }

        return new TraceEvent(name, category ?? "", phase, ts ?? 0, dur ?? 0, pid ?? "", tid ?? "",
            dims, seq, external, stream);
    }

    private static void ReadArgs(ref Utf8JsonReader reader, TraceReaderLimits limits, Func<string, Exception> fail,
        ref List<IReadOnlyList<long>>? dims, ref long? seq, ref long? external, ref long? stream)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            string key = reader.GetString()!;
            reader.Read();
            switch (key)
            {
                case "Input Dims" or "Input dims": dims = ReadDims(ref reader, limits, fail); break; // early Kineto spelt it "Input dims"
                case "Sequence number": seq = ReadInteger(ref reader, "args.Sequence number", fail); break;
                case "External id": external = ReadInteger(ref reader, "args.External id", fail); break;
                case "stream": stream = ReadInteger(ref reader, "args.stream", fail); break;
                default: reader.Skip(); break;
            }
        }
    }

    /// <summary>"Input Dims" is a list with one shape per input; tensor lists nest one level deeper
    /// and scalars are empty lists. Nested lists are flattened into one shape per tensor.</summary>
    private static List<IReadOnlyList<long>> ReadDims(ref Utf8JsonReader reader, TraceReaderLimits limits, Func<string, Exception> fail)
    {
        if (reader.TokenType != JsonTokenType.StartArray) throw fail($"key 'args.Input Dims': expected an array of shapes, got {reader.TokenType}");
        var shapes = new List<IReadOnlyList<long>>();
        int total = 0;
        var current = new List<long>();
        bool tensorList = false;
        int depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            int level = reader.CurrentDepth - depth;
            switch (reader.TokenType)
            {
                case JsonTokenType.StartArray when level == 1: current = new List<long>(); tensorList = false; break;
                case JsonTokenType.StartArray when level == 2: current = new List<long>(); tensorList = true; break;
                case JsonTokenType.EndArray when level == 2: shapes.Add(current); break;
                case JsonTokenType.EndArray when level == 1: if (!tensorList) shapes.Add(current); break;
                case JsonTokenType.Number when level >= 2:
                    if (!reader.TryGetInt64(out long d) || d < 0) throw fail("key 'args.Input Dims': expected non-negative integer dimensions");
                    if (++total > limits.MaxInputDims) throw fail($"key 'args.Input Dims': more than {limits.MaxInputDims} dimensions");
                    current.Add(d);
                    break;
                default: throw fail($"key 'args.Input Dims': expected a list of shapes (lists of integers), got {reader.TokenType} at nesting level {level}");
            }
        }
        return shapes;
    }

    private static string ReadString(ref Utf8JsonReader reader, string key, TraceReaderLimits limits, Func<string, Exception> fail)
    {
        if (reader.TokenType != JsonTokenType.String) throw fail($"key '{key}': expected a string, got {reader.TokenType}");
        if (reader.ValueSpan.Length > limits.MaxNameChars * 4) throw fail($"key '{key}': string longer than {limits.MaxNameChars} characters");
        string s = reader.GetString()!;
        if (s.Length > limits.MaxNameChars) throw fail($"key '{key}': string longer than {limits.MaxNameChars} characters");
        return s;
    }

    private static double ReadNumber(ref Utf8JsonReader reader, string key, Func<string, Exception> fail)
    {
        if (reader.TokenType != JsonTokenType.Number) throw fail($"key '{key}': expected a number, got {reader.TokenType}");
        double v = reader.GetDouble();
        if (!double.IsFinite(v)) throw fail($"key '{key}': expected a finite number");
        return v;
    }

    private static long ReadInteger(ref Utf8JsonReader reader, string key, Func<string, Exception> fail)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long v))
            throw fail($"key '{key}': expected an integer, got {reader.TokenType}");
        return v;
    }

    /// <summary>Kineto writes pid/tid as numbers for host threads and as strings for GPU streams.</summary>
    private static string ReadIdentifier(ref Utf8JsonReader reader, string key, TraceReaderLimits limits, Func<string, Exception> fail) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => reader.TryGetInt64(out long n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture)
                                                                  : reader.GetDouble().ToString("R", System.Globalization.CultureInfo.InvariantCulture),
            JsonTokenType.String => ReadString(ref reader, key, limits, fail),
            _ => throw fail($"key '{key}': expected a number or a string, got {reader.TokenType}"),
        };
}
