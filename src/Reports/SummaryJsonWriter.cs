using Sim.Core.Files;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sim.Reports;

/// <summary>
/// Writes a <see cref="RunSummary"/> as <c>summary.json</c>, keeping the order metrics were given in
/// (people read the file too) and every digit of every number. JSON has no NaN or infinity, so those
/// are written as the strings "NaN", "Infinity" and "-Infinity", which <see cref="SummaryJsonReader"/>
/// reads back.
/// </summary>
public static class SummaryJsonWriter
{
    internal static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string ToJson(RunSummary summary)
    {
        CheckUnique(summary.Info.Select(i => i.Key), "info");
        CheckUnique(summary.Metrics.Select(m => m.Key), "metric");
        var root = new JsonObject
        {
            ["format"] = RunSummary.Format,
            ["title"] = summary.Title,
            ["info"] = new JsonObject(summary.Info.Select(i => KeyValuePair.Create(i.Key, (JsonNode?)i.Value))),
            ["metrics"] = new JsonObject(summary.Metrics.Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value)))),
        };
        return root.ToJsonString(Options) + "\n";
    }

    public static void Write(string path, RunSummary summary) => AtomicFile.WriteAllText(path, ToJson(summary));

    private static void CheckUnique(IEnumerable<string> keys, string what)
    {
        var seen = new HashSet<string>();
        foreach (var key in keys)
            if (!seen.Add(key)) throw new ArgumentException($"summary has {what} '{key}' twice");
    }
}
