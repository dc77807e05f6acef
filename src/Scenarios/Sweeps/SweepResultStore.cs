using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Sim.Core.Files;
using Sim.Reports;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// The on-disk ledger of a sweep, like a lab notebook with one signed page per finished run:
/// <c>manifest.json</c> lists every run of the sweep, and <c>runs/RUN_ID.json</c> is written
/// atomically when a run finishes. A page either exists complete or not at all, so a killed sweep
/// loses no finished run, a restart redoes only missing ones, and no run can be recorded twice.
/// Several shards (Slurm array tasks) may share one folder: their runs are disjoint.
/// </summary>
public sealed class SweepResultStore
{
    public const string ManifestFormat = "sim-sweep-manifest/1";
    public const string RunFormat = "sim-sweep-run/1";

    internal static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>Largest manifest read: a million runs of a few hundred bytes each.</summary>
    public const long MaxManifestBytes = 512L << 20;

    /// <summary>Largest run page read; real pages hold a few dozen metrics.</summary>
    public const long MaxRunPageBytes = 1L << 20;

    public string Directory { get; }
    public string ManifestPath => Path.Combine(Directory, "manifest.json");
    public string RunsDirectory => Path.Combine(Directory, "runs");

    public SweepResultStore(string directory) => Directory = Path.GetFullPath(directory);

    public string RunPath(string runId) => Path.Combine(RunsDirectory, runId + ".json");

    /// <summary>Writes the manifest, or checks that an existing one describes the same sweep.</summary>
    public void EnsureManifest(SweepPlan plan)
    {
        if (File.Exists(ManifestPath))
        {
            var existing = ReadManifest();
            if (existing.Fingerprint != plan.Fingerprint)
                throw new SweepException($"{Directory} holds results of another sweep ('{existing.Name}', fingerprint {existing.Fingerprint}); this sweep has fingerprint {plan.Fingerprint}. Use another --out folder.");
            return;
        }
        var manifest = new JsonObject
        {
            ["format"] = ManifestFormat,
            ["name"] = plan.Spec.Name,
            ["fingerprint"] = plan.Fingerprint,
            ["parameters"] = new JsonArray(plan.ParameterKeys.Select(k => (JsonNode)k!).ToArray()),
            ["runs"] = new JsonArray(plan.Runs.Select(r => (JsonNode)new JsonObject
            {
                ["run"] = r.Id,
                ["point"] = r.Point.Id,
                ["replication"] = r.Replication,
                ["seed"] = r.Seed.ToString(CultureInfo.InvariantCulture),
                ["parameters"] = new JsonObject(r.Point.Overrides.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
            }).ToArray()),
        };
        // Shards racing to create it write identical bytes, so the last rename wins harmlessly.
        AtomicFile.WriteAllText(ManifestPath, manifest.ToJsonString(Json));
    }

    public SweepManifest ReadManifest()
    {
        // A folder that is not a sweep's is the user's mistake (bad input, exit 2), not a failed sweep.
        if (!System.IO.Directory.Exists(Directory))
            throw new InvalidDataException($"{Directory}: no such folder; expected a sweep results folder (with manifest.json)");
        if (!File.Exists(ManifestPath))
            throw new InvalidDataException($"{Directory}: no manifest.json; expected a sweep results folder");
        try
        {
            var root = JsonNode.Parse(InputFile.ReadAllText(ManifestPath, MaxManifestBytes), documentOptions: new JsonDocumentOptions { MaxDepth = 16 })!.AsObject();
            if ((string?)root["format"] != ManifestFormat) throw new InvalidDataException($"{ManifestPath}: format: expected \"{ManifestFormat}\", got {root["format"]?.ToJsonString() ?? "nothing"}");
            var runs = root["runs"]!.AsArray().Select(n => new SweepManifest.Entry(
                (string)n!["run"]!, (string)n["point"]!, (int)n["replication"]!,
                ulong.Parse((string)n["seed"]!, CultureInfo.InvariantCulture),
                n["parameters"]!.AsObject().ToDictionary(p => p.Key, p => (string)p.Value!))).ToList();
            return new SweepManifest((string)root["name"]!, (string)root["fingerprint"]!,
                root["parameters"]!.AsArray().Select(p => (string)p!).ToList(), runs);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException or OverflowException or KeyNotFoundException)
        {
            throw new InvalidDataException($"{ManifestPath}: not a valid sweep manifest ({e.Message})");
        }
    }

    /// <summary>True when the run's page exists and belongs to this sweep.</summary>
    public bool IsFinished(SweepRun run, string fingerprint) =>
        TryReadRun(RunPath(run.Id)) is { } stored && stored.RunId == run.Id && stored.Fingerprint == fingerprint;

    public void SaveRun(SweepRun run, string fingerprint, IReadOnlyDictionary<string, double> metrics)
    {
        var page = new JsonObject
        {
            ["format"] = RunFormat,
            ["run"] = run.Id,
            ["fingerprint"] = fingerprint,
            ["metrics"] = new JsonObject(metrics.OrderBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => KeyValuePair.Create(m.Key, (JsonNode?)JsonValue.Create(m.Value)))),
        };
        AtomicFile.WriteAllText(RunPath(run.Id), page.ToJsonString(Json));
    }

    /// <summary>Removes temporaries that a killed writer left for this run.</summary>
    public void DeleteLeftovers(SweepRun run) => AtomicFile.DeleteLeftovers(RunPath(run.Id));

    public static StoredRun? TryReadRun(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            var root = JsonNode.Parse(InputFile.ReadAllText(path, MaxRunPageBytes), documentOptions: new JsonDocumentOptions { MaxDepth = 8 })!.AsObject();
            if ((string?)root["format"] != RunFormat) return null;
            var metrics = root["metrics"]!.AsObject().ToDictionary(m => m.Key, m => ReadNumber(m.Value!));
            return new StoredRun((string)root["run"]!, (string)root["fingerprint"]!, metrics);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NullReferenceException or FormatException or IOException or InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>Numbers, or the strings "NaN"/"Infinity" that JSON needs for non-finite values.</summary>
    private static double ReadNumber(JsonNode node) =>
        node.GetValueKind() == JsonValueKind.String
            ? double.Parse(node.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture)
            : node.GetValue<double>();

    public sealed record StoredRun(string RunId, string Fingerprint, IReadOnlyDictionary<string, double> Metrics);
}
