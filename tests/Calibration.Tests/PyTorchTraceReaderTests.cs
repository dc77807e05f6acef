using System.Text;
using System.Text.Json;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Tests;

/// <summary>
/// Trace readers on real legacy traces written by torch 1.13 on this machine, on a hand-made
/// Kineto trace, and on corrupted files that must fail with the file and event named.
/// </summary>
public sealed class PyTorchTraceReaderTests
{
    private static string CommittedTrace(string model) => Path.Combine(RepositoryPaths.CpuTraces, $"trace-{model}.json");

    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    [InlineData("transformer")]
    public void CommittedLegacyTrace_ReadsEveryEvent_AsTheJsonDomSeesThem(string model)
    {
        string path = CommittedTrace(model);
        using var reader = PyTorchTraceReader.Open(path);
        var events = new List<TraceEvent>();
        while (reader.TryRead(out var e)) events.Add(e);

        Assert.Equal(TraceFileFormat.LegacyArray, reader.Format);
        using var dom = JsonDocument.Parse(File.ReadAllBytes(path));
        var expected = dom.RootElement.EnumerateArray().ToList();
        Assert.Equal(expected.Count, events.Count);
        for (int i = 0; i < events.Count; i++)
        {
            Assert.Equal(expected[i].GetProperty("name").GetString(), events[i].Name);
            Assert.Equal(expected[i].GetProperty("dur").GetDouble(), events[i].DurationUs);
            Assert.Equal(expected[i].GetProperty("ts").GetDouble(), events[i].TimestampUs);
        }
        Assert.Contains(events, e => e.Name == "aten::linear" || e.Name == "aten::conv2d");
        Assert.Contains(events, e => e.Name.StartsWith("Optimizer.step", StringComparison.Ordinal));
        Assert.All(events, e => Assert.True(e.DurationUs >= 0));
    }

    [Fact]
    public void SmallChunks_GiveTheSameEvents_AsTheDefaultChunk()
    {
        // Events straddle chunk boundaries thousands of times; streaming must not change a thing.
        string path = CommittedTrace("cnn");
        var whole = PyTorchTraceReader.ReadAll(path).ToList();
        var chunked = PyTorchTraceReader.ReadAll(path, new TraceReaderLimits(MaxEventBytes: 4096, ChunkBytes: 37)).ToList();
        Assert.Equal(whole, chunked, new TraceEventComparer());
    }

    [Fact]
    public void HandMadeKineto_ReadsShapesKernelsAndStreams()
    {
        using var reader = PyTorchTraceReader.Open(RepositoryPaths.Fixture("kineto_hand_made.json"));
        var events = new List<TraceEvent>();
        while (reader.TryRead(out var e)) events.Add(e);

        Assert.Equal(TraceFileFormat.Kineto, reader.Format);
        Assert.Equal(13, events.Count);
        var linear = events.Single(e => e.Name == "aten::linear");
        Assert.Equal([[64L, 256L], [512L, 256L], [512L]], linear.InputDims!.Select(d => d.ToArray()).ToArray());
        Assert.Equal(410, linear.SequenceNumber);
        Assert.Equal(48.5, linear.DurationUs);
        var addmm = events.Single(e => e.Name == "aten::addmm");
        Assert.Equal(5, addmm.InputDims!.Count); // scalars are empty shapes
        Assert.Empty(addmm.InputDims[3]);
        var allreduce = events.Single(e => e.Name == "c10d::allreduce_");
        Assert.Equal([131584L], allreduce.InputDims![0]); // a tensor list flattens to its tensors

        var gpu = events.Where(e => e.IsGpuActivity).ToList();
        Assert.Equal(3, gpu.Count);
        Assert.Equal([7L, 20L, 7L], gpu.Select(e => e.Stream!.Value).ToArray());
        Assert.All(gpu, e => Assert.Equal("0", e.ProcessId));
        Assert.Equal(12.128, gpu[0].DurationUs);
        Assert.Equal("Traces", events.Single(e => e.Name.StartsWith("Iteration Start", StringComparison.Ordinal)).ProcessId);
    }

    [Fact]
    public void TruncatedTrace_FailsNamingFileAndEvent()
    {
        using var dir = new TempDirectory();
        byte[] bytes = File.ReadAllBytes(CommittedTrace("mlp"));
        string path = dir.File("truncated.json");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<TraceFormatException>(() => PyTorchTraceReader.ReadAll(path, new TraceReaderLimits(ChunkBytes: 1024)).Count());
        Assert.Equal(path, ex.FilePath);
        Assert.Contains("truncated.json", ex.Message);
        Assert.Matches(@"event \d+", ex.Message);
    }

    [Theory]
    [InlineData("""[{"ph":"X","ts":1,"dur":2}]""", "event 0", "missing key 'name'")]
    [InlineData("""[{"name":"a","ph":"X","ts":1,"dur":2},{"name":"b","ph":"X","dur":2}]""", "event 1", "missing key 'ts'")]
    [InlineData("""[{"name":"a","ph":"X","ts":"soon","dur":2}]""", "event 0", "key 'ts': expected a number")]
    [InlineData("""[{"name":7,"ph":"X","ts":1,"dur":2}]""", "event 0", "key 'name': expected a string")]
    [InlineData("""[{"name":"a","ph":"X","ts":1,"dur":-5}]""", "event 0", "non-negative duration")]
    [InlineData("""[{"name":"a","ph":"X","ts":1,"dur":2,"args":{"Input Dims":[[1,"x"]]}}]""", "event 0", "Input Dims")]
    [InlineData("""[{"name":"a","ph":"X","ts":1,"dur":2}, 5]""", "event 1", "expected an object")]
    [InlineData("""{"traceEvents": {"name":"a"}}""", "traceEvents", "expected an array")]
    [InlineData("""42""", "line 1", "expected a JSON array of events")]
    [InlineData("""[{"name":"a","ph":"X","ts":1,"dur":2}, {"name": "b" "ph": "X"}]""", "event 1", "malformed JSON")]
    public void CorruptedTraces_FailWithTheProblemNamed(string json, string where, string what)
    {
        using var dir = new TempDirectory();
        string path = dir.File("bad.json");
        File.WriteAllText(path, json);
        var ex = Assert.Throws<TraceFormatException>(() => PyTorchTraceReader.ReadAll(path).Count());
        Assert.Contains("bad.json", ex.Message);
        Assert.Contains(where, ex.Message);
        Assert.Contains(what, ex.Message);
    }

    [Fact]
    public void OversizedEvent_IsRefused_WithoutBufferingIt()
    {
        using var dir = new TempDirectory();
        string path = dir.File("huge.json");
        using (var w = new StreamWriter(path))
        {
            w.Write("""[{"name":"ok","ph":"X","ts":1,"dur":2},{"name":"big","ph":"X","ts":1,"dur":2,"args":{"junk":""" + "\"");
            w.Write(new string('x', 300_000));
            w.Write("\"}}]");
        }
        var limits = new TraceReaderLimits(MaxEventBytes: 64 * 1024, ChunkBytes: 4096);
        var ex = Assert.Throws<TraceFormatException>(() => PyTorchTraceReader.ReadAll(path, limits).Count());
        Assert.Contains("event 1 is larger than the limit", ex.Message);
    }

    [Fact]
    public void LargeStreamedTrace_ReadsInBoundedMemory()
    {
        // 200k events (about 20 MB) through a 64 KiB chunk: the reader never holds the file.
        using var dir = new TempDirectory();
        string path = dir.File("large.json");
        const int count = 200_000;
        using (var w = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            w.Write("{\"traceEvents\":[");
            for (int i = 0; i < count; i++)
            {
                if (i > 0) w.Write(",\n");
                w.Write(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"{{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"aten::op{i % 17}\",\"pid\":1,\"tid\":1,\"ts\":{i * 10},\"dur\":{i % 7},\"args\":{{\"Input Dims\":[[{i % 5 + 1},8]]}}}}"));
            }
            w.Write("],\"traceName\":\"synthetic\"}");
        }
        var limits = new TraceReaderLimits(ChunkBytes: 64 * 1024);
        long n = 0; double total = 0;
        using var reader = PyTorchTraceReader.Open(path, limits);
        while (reader.TryRead(out var e)) { n++; total += e.DurationUs; }
        Assert.Equal(count, n);
        Assert.Equal(Enumerable.Range(0, count).Sum(i => (double)(i % 7)), total);
        Assert.True(new FileInfo(path).Length > 15_000_000);
        // The read buffer never grew beyond one chunk although the file is hundreds of chunks long.
        Assert.Equal(limits.ChunkBytes, reader.BufferCapacity);
    }

    [Fact]
    public void MissingFile_FailsNamingTheFile()
    {
        var ex = Assert.Throws<TraceFormatException>(() => PyTorchTraceReader.ReadAll("/nonexistent/trace.json").Count());
        Assert.Contains("/nonexistent/trace.json", ex.Message);
    }

    private sealed class TraceEventComparer : IEqualityComparer<TraceEvent>
    {
        public bool Equals(TraceEvent? a, TraceEvent? b) =>
            a!.Name == b!.Name && a.Phase == b.Phase && a.TimestampUs == b.TimestampUs && a.DurationUs == b.DurationUs
            && a.ThreadId == b.ThreadId && a.ProcessId == b.ProcessId && a.Category == b.Category;

        public int GetHashCode(TraceEvent e) => HashCode.Combine(e.Name, e.TimestampUs);
    }
}
