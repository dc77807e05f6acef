using System.Globalization;
using System.Text;
using BenchmarkDotNet.Attributes;
using Sim.Calibration.Traces;

namespace Sim.Bench;

/// <summary>
/// Streaming a large Kineto trace (100,000 cpu_op events with shapes, about 17 MB) through
/// <see cref="PyTorchTraceReader"/>, like timing a conveyor belt by the parcels per second it
/// delivers. One operation is one event; the memory diagnoser shows the allocation per event
/// (the event record and its strings), while the read buffer stays at one 64 KiB chunk.
/// </summary>
[MemoryDiagnoser]
public class TraceReaderBenchmarks
{
    private const int Events = 100_000;
    private string _path = "";

    [GlobalSetup]
    public void WriteTrace()
    {
        _path = Path.Combine(Path.GetTempPath(), $"sim-bench-trace-{Environment.ProcessId}.json");
        using var w = new StreamWriter(_path, false, new UTF8Encoding(false));
        w.Write("{\"schemaVersion\":1,\"traceEvents\":[");
        for (int i = 0; i < Events; i++)
        {
            if (i > 0) w.Write(",\n");
            w.Write(string.Create(CultureInfo.InvariantCulture,
                $"{{\"ph\":\"X\",\"cat\":\"cpu_op\",\"name\":\"aten::op{i % 31}\",\"pid\":7,\"tid\":7,\"ts\":{1.7e12 + i * 3.5:F3},\"dur\":{i % 13 + 0.25},\"args\":{{\"External id\":{i},\"Sequence number\":{i / 3},\"Input Dims\":[[{i % 64 + 1},256],[256,512],[512]],\"Input type\":[\"float\",\"float\",\"float\"]}}}}"));
        }
        w.Write("],\"traceName\":\"bench\"}");
    }

    [GlobalCleanup]
    public void Delete() => File.Delete(_path);

    [Benchmark(OperationsPerInvoke = Events)]
    public double ReadAllEvents()
    {
        double total = 0;
        using var reader = PyTorchTraceReader.Open(_path);
        while (reader.TryRead(out var e)) total += e.DurationUs;
        return total;
    }
}
