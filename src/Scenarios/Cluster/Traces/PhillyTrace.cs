using System.Text.Json;

namespace Sim.Scenarios.Cluster.Traces;

/// <summary>
/// Microsoft Philly job log (Jeon et al., "Analysis of Large-Scale Multi-Tenant GPU Clusters for DNN
/// Training Workloads", USENIX ATC'19; github.com/msr-fiddle/philly-traces, cluster_job_log): a JSON
/// array of jobs, each with "jobid", "submitted_time" ("yyyy-MM-dd HH:mm:ss"), "status" and
/// "attempts": [{"start_time", "end_time", "detail": [{"ip", "gpus": [...]}]}]. A job asks for the
/// GPUs of its first attempt (summed over machines) and its work is the summed run time of its
/// attempts that have both times. Jobs that never ran are skipped. Other keys are ignored.
/// Errors name the line and column of the offending value (found from the reader's byte offset).
/// </summary>
internal static class PhillyTrace
{
    public static List<TraceJob> Read(string path, int maxJobs, TraceErrors errors)
    {
        var jobs = new List<TraceJob>();
        byte[] bytes = File.ReadAllBytes(path);
        var lineStarts = new List<int> { 0 };
        for (int i = 0; i < bytes.Length; i++) if (bytes[i] == '\n') lineStarts.Add(i + 1);
        (int Line, int Col) Where(long offset)
        {
            int k = lineStarts.BinarySearch((int)offset);
            if (k < 0) k = ~k - 1;
            return (k + 1, (int)(offset - lineStarts[k]) + 1);
        }
        JsonValue tree;
        try
        {
            var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, MaxDepth = 16 });
            if (!reader.Read()) { errors.Add(1, 1, "", "the file is empty; expected a JSON array of jobs"); return jobs; }
            tree = JsonValue.ReadValue(ref reader);
        }
        catch (JsonException e)
        {
            errors.Add((int)(e.LineNumber ?? 0) + 1, (int)(e.BytePositionInLine ?? 0) + 1, "", $"not valid JSON: {e.Message.Split(" LineNumber")[0]}");
            return jobs;
        }
        void Error(JsonValue at, string key, string message) { var (l, c) = Where(at.Offset); errors.Add(l, c, key, message); }
        if (tree.Kind != JsonTokenType.StartArray) { Error(tree, "", "expected a JSON array of jobs"); return jobs; }
        for (int j = 0; j < tree.Items!.Count && jobs.Count < maxJobs && !errors.Full; j++)
        {
            var job = tree.Items[j];
            string at = $"[{j}]";
            if (job.Kind != JsonTokenType.StartObject) { Error(job, at, "expected a job object"); continue; }
            string name = job.Get("jobid")?.Text ?? $"philly-{j}";
            var submitted = job.Get("submitted_time");
            if (submitted is null || submitted.Kind != JsonTokenType.String || !TraceTime.TryParse(submitted.Text!, out double submit))
            { Error(submitted ?? job, at + ".submitted_time", $"expected a timestamp \"yyyy-MM-dd HH:mm:ss\", got {submitted?.Describe() ?? "nothing"}"); continue; }
            var attempts = job.Get("attempts");
            if (attempts is null || attempts.Kind != JsonTokenType.StartArray) { Error(attempts ?? job, at + ".attempts", "expected an array of attempts"); continue; }
            int gpus = 0;
            double run = 0;
            bool bad = false;
            for (int a = 0; a < attempts.Items!.Count && !bad; a++)
            {
                var attempt = attempts.Items[a];
                string ap = $"{at}.attempts[{a}]";
                if (attempt.Kind != JsonTokenType.StartObject) { Error(attempt, ap, "expected an attempt object"); bad = true; break; }
                var s = attempt.Get("start_time");
                var e = attempt.Get("end_time");
                if (a == 0 && attempt.Get("detail") is { Kind: JsonTokenType.StartArray } detail)
                    foreach (var machine in detail.Items!)
                    {
                        if (machine.Get("gpus") is { Kind: JsonTokenType.StartArray } list) gpus += list.Items!.Count;
                        else { Error(machine, ap + ".detail[].gpus", "expected an array of GPU names"); bad = true; }
                    }
                // No start or end (null, "None": a logging gap, or still running at the snapshot) - not counted.
                if (s is null || e is null || s.Kind != JsonTokenType.String || e.Kind != JsonTokenType.String
                    || TraceTime.IsMissing(s.Text!) || TraceTime.IsMissing(e.Text!)) continue;
                if (!TraceTime.TryParse(s.Text!, out double start)) { Error(s, ap + ".start_time", $"expected a timestamp, got {s.Describe()}"); bad = true; break; }
                if (!TraceTime.TryParse(e.Text!, out double end)) { Error(e, ap + ".end_time", $"expected a timestamp, got {e.Describe()}"); bad = true; break; }
                if (end < start) { Error(e, ap + ".end_time", "ends before it starts"); bad = true; break; }
                run += end - start;
            }
            if (bad || gpus < 1 || run <= 0) continue;
            jobs.Add(new TraceJob(name, submit, gpus, run, null));
        }
        return jobs;
    }

    /// <summary>A JSON value with the byte offset where it starts (enough for located errors).</summary>
    private sealed class JsonValue
    {
        public JsonTokenType Kind;
        public long Offset;
        public string? Text;
        public List<JsonValue>? Items;
        public Dictionary<string, JsonValue>? Members;

        public JsonValue? Get(string key) => Members is not null && Members.TryGetValue(key, out var v) ? v : null;

        public string Describe() => Kind switch
        {
            JsonTokenType.String => $"\"{Text}\"",
            JsonTokenType.Number => Text!,
            JsonTokenType.Null => "null",
            JsonTokenType.True or JsonTokenType.False => Kind.ToString().ToLowerInvariant(),
            JsonTokenType.StartArray => "an array",
            _ => "an object",
        };

        public static JsonValue ReadValue(ref Utf8JsonReader r)
        {
            var v = new JsonValue { Kind = r.TokenType, Offset = r.TokenStartIndex };
            switch (r.TokenType)
            {
                case JsonTokenType.StartArray:
                    v.Items = [];
                    while (r.Read() && r.TokenType != JsonTokenType.EndArray) v.Items.Add(ReadValue(ref r));
                    break;
                case JsonTokenType.StartObject:
                    v.Members = new Dictionary<string, JsonValue>(StringComparer.Ordinal);
                    while (r.Read() && r.TokenType != JsonTokenType.EndObject)
                    {
                        string key = r.GetString()!;
                        r.Read();
                        v.Members[key] = ReadValue(ref r);
                    }
                    break;
                case JsonTokenType.String:
                    v.Text = r.GetString();
                    break;
                case JsonTokenType.Number:
                    v.Text = System.Text.Encoding.UTF8.GetString(r.ValueSpan);
                    break;
            }
            return v;
        }
    }
}
