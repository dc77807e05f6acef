using System.Text.Json;
using Sim.Core.Timeline;

namespace Sim.Core.Tests;

public class TimelineTests
{
    [Fact]
    public void WritesChromeTraceJsonWithTracksAndSpans()
    {
        var ms = new MemoryStream();
        using (var rec = new TimelineRecorder(ms))
        {
            int gpu0 = rec.Track("node 0", "gpu 0 compute");
            int nic = rec.Track("node 0", "nic");
            Assert.Equal(gpu0, rec.Track("node 0", "gpu 0 compute"));
            rec.Span(gpu0, "forward", 0, 1.5e-3, "compute", new KeyValuePair<string, object?>[] { new("layer", 3) });
            rec.Span(nic, "allreduce", 1e-3, 2e-3);
            rec.Instant(nic, "checkpoint", 2e-3);
        }
        using var doc = JsonDocument.Parse(ms.ToArray());
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        var spans = events.Where(e => e.GetProperty("ph").GetString() == "X").ToList();
        Assert.Equal(2, spans.Count);
        Assert.Equal(1500, spans[0].GetProperty("dur").GetDouble(), 9); // microseconds
        Assert.Equal(3, spans[0].GetProperty("args").GetProperty("layer").GetInt32());
        var names = events.Where(e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("name").GetString() == "thread_name")
            .Select(e => e.GetProperty("args").GetProperty("name").GetString()).ToList();
        Assert.Equal(new[] { "gpu 0 compute", "nic" }, names);
    }

    [Fact]
    public void SpansBeyondTheCapAreCountedNotWritten()
    {
        var ms = new MemoryStream();
        var rec = new TimelineRecorder(ms, maxSpans: 10);
        int t = rec.Track("g", "l");
        for (int i = 0; i < 100; i++) rec.Span(t, "s", i, i + 1);
        rec.Dispose();
        Assert.Equal(10, rec.SpansWritten);
        Assert.Equal(90, rec.SpansDropped);
        using var doc = JsonDocument.Parse(ms.ToArray());
        Assert.Equal(90, doc.RootElement.GetProperty("otherData").GetProperty("spansDropped").GetInt32());
    }
}
