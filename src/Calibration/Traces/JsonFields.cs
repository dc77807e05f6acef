using System.Text.Json;
using Sim.Core.Files;

namespace Sim.Calibration.Traces;

/// <summary>
/// Typed access to the fields of a parsed JSON document that names the exact key path on every
/// mistake, like a form checker who says "section 3, box b: expected a date" instead of "invalid".
/// </summary>
internal readonly struct JsonFields(string filePath)
{
    public const long MaxDocumentBytes = 64L << 20;

    /// <summary>Largest magnitude of any measured number (FLOPs, bytes, seconds): 10^18 is an exa-FLOP in
    /// one operation, far beyond anything a profiler measures, and keeps sums of squares in a fit finite.</summary>
    public const double MaxMagnitude = 1e18;

    /// <summary>Parses a whole (small) JSON document after checking its size.</summary>
    public static JsonDocument Load(string path)
    {
        try
        {
            // Regular files only; the size cap counts bytes read (a device reports size 0).
            using var stream = InputFile.OpenRead(path, MaxDocumentBytes);
            return JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (InputFileException e)
        {
            throw new TraceFormatException(path, "file", e.Problem, e);
        }
        catch (JsonException e)
        {
            throw new TraceFormatException(path, $"line {(e.LineNumber ?? 0) + 1}", $"malformed JSON ({e.Message})", e);
        }
        catch (IOException e)
        {
            throw new TraceFormatException(path, "file", $"cannot read: {e.Message}", e);
        }
    }

    public TraceFormatException Error(string keyPath, string problem) => new(filePath, keyPath, problem);

    public JsonElement Required(JsonElement obj, string key, string path, JsonValueKind kind)
    {
        if (obj.ValueKind != JsonValueKind.Object) throw Error(path, $"expected an object, got {obj.ValueKind}");
        if (!obj.TryGetProperty(key, out var value)) throw Error($"{path}.{key}", $"missing (expected {Describe(kind)})");
        if (value.ValueKind != kind && !(kind == JsonValueKind.True && value.ValueKind == JsonValueKind.False))
            throw Error($"{path}.{key}", $"expected {Describe(kind)}, got {value.ValueKind}");
        return value;
    }

    public string String(JsonElement obj, string key, string path) => Required(obj, key, path, JsonValueKind.String).GetString()!;

    public double Number(JsonElement obj, string key, string path, double min = double.NegativeInfinity, bool exclusiveMin = false)
    {
        var v = Required(obj, key, path, JsonValueKind.Number);
        if (!v.TryGetDouble(out double d) || !double.IsFinite(d)) throw Error($"{path}.{key}", "expected a finite number");
        if (Math.Abs(d) > MaxMagnitude) throw Error($"{path}.{key}", $"expected a number of at most {MaxMagnitude:G0} in size, got {d:G4}");
        if (d < min || (exclusiveMin && d == min))
            throw Error($"{path}.{key}", $"expected a number {(exclusiveMin ? ">" : ">=")} {min}, got {d}");
        return d;
    }

    public double Positive(JsonElement obj, string key, string path) => Number(obj, key, path, 0, exclusiveMin: true);

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>]; <paramref name="max"/> is the
    /// largest value the caller's type holds (int.MaxValue where it casts to int).</summary>
    public long Integer(JsonElement obj, string key, string path, long min = long.MinValue, long max = long.MaxValue)
    {
        var v = Required(obj, key, path, JsonValueKind.Number);
        if (!v.TryGetInt64(out long n)) throw Error($"{path}.{key}", $"expected an integer, got {v.GetRawText()}");
        if (n < min) throw Error($"{path}.{key}", $"expected an integer >= {min}, got {n}");
        if (n > max) throw Error($"{path}.{key}", $"expected an integer <= {max}, got {n}");
        return n;
    }

    public JsonElement Array(JsonElement obj, string key, string path) => Required(obj, key, path, JsonValueKind.Array);

    public JsonElement Object(JsonElement obj, string key, string path) => Required(obj, key, path, JsonValueKind.Object);

    /// <summary>Rejects keys outside the allowed set, so that a misspelt key is not silently ignored.</summary>
    public void OnlyKeys(JsonElement obj, string path, params string[] allowed)
    {
        foreach (var p in obj.EnumerateObject())
            if (System.Array.IndexOf(allowed, p.Name) < 0)
                throw Error($"{path}.{p.Name}", $"unknown key (expected one of: {string.Join(", ", allowed)})");
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True => "a boolean",
        _ => kind.ToString(),
    };
}
