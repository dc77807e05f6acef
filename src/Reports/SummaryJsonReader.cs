using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Sim.Core.Files;

namespace Sim.Reports;

/// <summary>
/// Reads <c>summary.json</c> back into a <see cref="RunSummary"/>, treating the file as untrusted:
/// size and nesting are bounded and anything unexpected becomes an <see cref="InvalidDataException"/>
/// naming the file and the offending key.
/// </summary>
public static class SummaryJsonReader
{
    private const long MaxBytes = 16 * 1024 * 1024;

    /// <summary>Reads a summary file, or <c>summary.json</c> inside a results folder.</summary>
    public static RunSummary Read(string path)
    {
        string file = Directory.Exists(path) ? Path.Combine(path, "summary.json") : path;
        if (!File.Exists(file) && !Directory.Exists(file) && !Path.Exists(file))
            throw new InvalidDataException($"{file}: not found (expected a results folder with summary.json, or the file itself)");
        // Regular files only, size capped while reading (a FIFO or /dev/zero is refused, not read).
        return Parse(InputFile.ReadAllText(file, MaxBytes), file);
    }

    public static RunSummary Parse(string json, string file)
    {
        JsonObject root;
        try
        {
            // Duplicate keys are refused by the parser, with their line, instead of a bare "same key" error.
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 8, AllowDuplicateProperties = false }) as JsonObject
                   ?? throw new InvalidDataException($"{file}: expected a JSON object");
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{file}: invalid JSON: {e.Message}");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{file}:{e.LineNumber + 1}: invalid JSON: {e.Message}");
        }
        if ((root["format"] as JsonValue)?.TryGetValue<string>(out var format) != true || format != RunSummary.Format)
            throw new InvalidDataException($"{file}: format: expected \"{RunSummary.Format}\", got {root["format"]?.ToJsonString() ?? "nothing"}");
        string title = (root["title"] as JsonValue)?.TryGetValue<string>(out var t) == true ? t : throw new InvalidDataException($"{file}: title: expected a string");
        var info = Section(root, "info", file).Select(p => KeyValuePair.Create(p.Key,
            (p.Value as JsonValue)?.TryGetValue<string>(out var s) == true ? s : throw new InvalidDataException($"{file}: info.{p.Key}: expected a string, got {p.Value?.ToJsonString()}"))).ToList();
        var metrics = Section(root, "metrics", file).Select(p => KeyValuePair.Create(p.Key, Number(p.Value, $"{file}: metrics.{p.Key}"))).ToList();
        return new RunSummary(title, info, metrics);
    }

    private static JsonObject Section(JsonObject root, string name, string file) =>
        root[name] as JsonObject ?? throw new InvalidDataException($"{file}: {name}: expected an object");

    private static double Number(JsonNode? node, string where)
    {
        if (node is JsonValue value)
        {
            if (value.GetValueKind() == JsonValueKind.Number) return value.GetValue<double>();
            if (value.TryGetValue<string>(out var text) && text is "NaN" or "Infinity" or "-Infinity")
                return double.Parse(text, CultureInfo.InvariantCulture);
        }
        throw new InvalidDataException($"{where}: expected a number, got {node?.ToJsonString() ?? "null"}");
    }
}
