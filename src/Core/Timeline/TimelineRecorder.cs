using System.Text.Json;

namespace Sim.Core.Timeline;

/// <summary>
/// A flight recorder for the run: every span (who did what, from when to when) is streamed straight to
/// a Chrome-trace JSON file that Perfetto (ui.perfetto.dev) and chrome://tracing open. Tracks are
/// (group, lane) pairs such as ("node 3", "gpu 1 compute"); they become Perfetto's processes and
/// threads. Memory stays bounded: spans are written as they come, and after <see cref="MaxSpans"/>
/// further spans are counted but dropped.
/// </summary>
public sealed class TimelineRecorder : IDisposable
{
    private readonly Utf8JsonWriter _json;
    private readonly Dictionary<(string Group, string Lane), (int Pid, int Tid)> _tracks = new();
    private readonly Dictionary<string, int> _groups = new(StringComparer.Ordinal);
    private bool _closed;

    public TimelineRecorder(Stream output, long maxSpans = 5_000_000)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (maxSpans < 0) throw new ArgumentOutOfRangeException(nameof(maxSpans));
        MaxSpans = maxSpans;
        _json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false, SkipValidation = true });
        _json.WriteStartObject();
        _json.WriteString("displayTimeUnit", "ns");
        _json.WriteStartArray("traceEvents");
    }

    public long MaxSpans { get; }
    public long SpansWritten { get; private set; }
    public long SpansDropped { get; private set; }

    /// <summary>The id of a (group, lane) track, created on first use.</summary>
    public int Track(string group, string lane)
    {
        if (_tracks.TryGetValue((group, lane), out var ids)) return Pack(ids);
        if (!_groups.TryGetValue(group, out int pid))
        {
            pid = _groups.Count + 1;
            _groups.Add(group, pid);
            WriteMetadata("process_name", pid, 0, group);
            WriteSortIndex("process_sort_index", pid, 0, pid);
        }
        int tid = _tracks.Count + 1;
        _tracks.Add((group, lane), (pid, tid));
        WriteMetadata("thread_name", pid, tid, lane);
        WriteSortIndex("thread_sort_index", pid, tid, tid);
        return Pack((pid, tid));
    }

    /// <summary>Records a span on <paramref name="track"/> from <paramref name="start"/> to
    /// <paramref name="end"/> (simulated seconds).</summary>
    public void Span(int track, string name, double start, double end, string? category = null,
        IReadOnlyList<KeyValuePair<string, object?>>? args = null)
    {
        if (_closed) throw new ObjectDisposedException(nameof(TimelineRecorder));
        if (SpansWritten >= MaxSpans) { SpansDropped++; return; }
        SpansWritten++;
        var (pid, tid) = Unpack(track);
        _json.WriteStartObject();
        _json.WriteString("name", name);
        if (category != null) _json.WriteString("cat", category);
        _json.WriteString("ph", "X");
        _json.WriteNumber("ts", start * 1e6);
        _json.WriteNumber("dur", Math.Max(0, end - start) * 1e6);
        _json.WriteNumber("pid", pid);
        _json.WriteNumber("tid", tid);
        if (args is { Count: > 0 })
        {
            _json.WriteStartObject("args");
            foreach (var (k, v) in args)
            {
                switch (v)
                {
                    case null: _json.WriteNull(k); break;
                    case double d: _json.WriteNumber(k, d); break;
                    case int i: _json.WriteNumber(k, i); break;
                    case long l: _json.WriteNumber(k, l); break;
                    case bool b: _json.WriteBoolean(k, b); break;
                    default: _json.WriteString(k, v.ToString()); break;
                }
            }
            _json.WriteEndObject();
        }
        _json.WriteEndObject();
        if (_json.BytesPending > 1 << 16) _json.Flush();
    }

    /// <summary>Records an instant (a marker with no duration).</summary>
    public void Instant(int track, string name, double time)
    {
        if (SpansWritten >= MaxSpans) { SpansDropped++; return; }
        SpansWritten++;
        var (pid, tid) = Unpack(track);
        _json.WriteStartObject();
        _json.WriteString("name", name);
        _json.WriteString("ph", "i");
        _json.WriteString("s", "t");
        _json.WriteNumber("ts", time * 1e6);
        _json.WriteNumber("pid", pid);
        _json.WriteNumber("tid", tid);
        _json.WriteEndObject();
    }

    /// <summary>Finishes the JSON document (idempotent).</summary>
    public void Dispose()
    {
        if (_closed) return;
        _closed = true;
        _json.WriteEndArray();
        _json.WriteStartObject("otherData");
        _json.WriteString("generator", "Sim");
        _json.WriteNumber("spansDropped", SpansDropped);
        _json.WriteEndObject();
        _json.WriteEndObject();
        _json.Flush();
        _json.Dispose();
    }

    /// <summary>A metadata record ("M"): names and sort order of Perfetto's processes and threads.</summary>
    private void WriteMetadata(string kind, int pid, int tid, string name) => WriteMetadata(kind, pid, tid, w => w.WriteString("name", name));

    private void WriteSortIndex(string kind, int pid, int tid, int index) => WriteMetadata(kind, pid, tid, w => w.WriteNumber("sort_index", index));

    private void WriteMetadata(string kind, int pid, int tid, Action<Utf8JsonWriter> args)
    {
        _json.WriteStartObject();
        _json.WriteString("name", kind);
        _json.WriteString("ph", "M");
        _json.WriteNumber("pid", pid);
        _json.WriteNumber("tid", tid);
        _json.WriteStartObject("args");
        args(_json);
        _json.WriteEndObject();
        _json.WriteEndObject();
    }

    private static int Pack((int Pid, int Tid) ids) => (ids.Pid << 20) | ids.Tid;
    private static (int Pid, int Tid) Unpack(int track) => (track >> 20, track & 0xFFFFF);
}
