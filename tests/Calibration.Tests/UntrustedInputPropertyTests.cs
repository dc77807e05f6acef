using FsCheck;
using FsCheck.Fluent;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Tests;

/// <summary>
/// Untrusted files never crash a reader: random truncations and byte corruptions of a real trace,
/// a real step log and a real measurement file either read or fail with a
/// <see cref="TraceFormatException"/> that names the file, never with any other exception.
/// Chunk size is invisible: any chunk size gives the same events.
/// </summary>
public sealed class UntrustedInputPropertyTests
{
    private static readonly byte[] MlpTrace = File.ReadAllBytes(Path.Combine(RepositoryPaths.CpuTraces, "trace-mlp.json"));
    private static readonly byte[] StepLog = File.ReadAllBytes(Path.Combine(RepositoryPaths.CpuTraces, "steps-cnn.log"));
    private static readonly byte[] Measurements = File.ReadAllBytes(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json"));
    private static readonly byte[] Kineto = File.ReadAllBytes(RepositoryPaths.Fixture("kineto_hand_made.json"));

    private static readonly byte[] Nasty = "{}[]\",:0-9eE.\\ntrfu\0\xff"u8.ToArray();

    private static byte[] Corrupt(byte[] original, int cut, int[] positions, int[] values)
    {
        var bytes = original[..Math.Min(cut, original.Length)];
        for (int i = 0; i < positions.Length && bytes.Length > 0; i++)
            bytes[positions[i] % bytes.Length] = Nasty[values[i % values.Length] % Nasty.Length];
        return bytes;
    }

    private static bool ReadsOrFailsCleanly(byte[] bytes, string name, Action<string> read)
    {
        string dir = Path.Combine(Path.GetTempPath(), "sim-fuzz-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, name);
        try
        {
            File.WriteAllBytes(path, bytes);
            try { read(path); return true; }
            catch (TraceFormatException e) { return e.FilePath == path && e.Message.StartsWith(path, StringComparison.Ordinal); }
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static Arbitrary<(int cut, int[] positions, int[] values)> Corruptions(int length) =>
        (from cut in Gen.Choose(0, length)
         from positions in Gen.ArrayOf(Gen.Choose(0, int.MaxValue)).Select(a => a.Take(6).ToArray())
         from values in Gen.ArrayOf(Gen.Choose(0, 255)).Select(a => a.Length == 0 ? new[] { 0 } : a)
         select (cut, positions, values)).ToArbitrary();

    [Fact]
    public void CorruptedLegacyTrace_NeverCrashes() =>
        Prop.ForAll(Corruptions(MlpTrace.Length), c =>
            ReadsOrFailsCleanly(Corrupt(MlpTrace, c.cut, c.positions, c.values), "t.json",
                p => PyTorchTraceReader.ReadAll(p, new TraceReaderLimits(ChunkBytes: 512)).Count()))
        .QuickCheckThrowOnFailure();

    [Fact]
    public void CorruptedKinetoTrace_NeverCrashes() =>
        Prop.ForAll(Corruptions(Kineto.Length), c =>
            ReadsOrFailsCleanly(Corrupt(Kineto, c.cut, c.positions, c.values), "k.json",
                p => PyTorchTraceReader.ReadAll(p, new TraceReaderLimits(ChunkBytes: 64)).Count()))
        .QuickCheckThrowOnFailure();

    [Fact]
    public void CorruptedStepLog_NeverCrashes() =>
        Prop.ForAll(Corruptions(StepLog.Length), c =>
            ReadsOrFailsCleanly(Corrupt(StepLog, c.cut, c.positions, c.values), "s.log", p => StepTimeLogReader.Read(p)))
        .QuickCheckThrowOnFailure();

    [Fact]
    public void CorruptedMeasurements_NeverCrash() =>
        Prop.ForAll(Corruptions(Measurements.Length), c =>
            ReadsOrFailsCleanly(Corrupt(Measurements, c.cut, c.positions, c.values), "m.json", p => MeasurementSetReader.Read(p)))
        .QuickCheckThrowOnFailure();

    [Fact]
    public void AnyChunkSize_GivesTheSameEvents()
    {
        string path = Path.Combine(RepositoryPaths.CpuTraces, "trace-mlp.json");
        var reference = PyTorchTraceReader.ReadAll(path).Select(e => (e.Name, e.TimestampUs, e.DurationUs)).ToList();
        Prop.ForAll(Gen.Choose(1, 5000).ToArbitrary(), chunk =>
            PyTorchTraceReader.ReadAll(path, new TraceReaderLimits(ChunkBytes: chunk)).Select(e => (e.Name, e.TimestampUs, e.DurationUs)).SequenceEqual(reference))
        .QuickCheckThrowOnFailure();
    }
}
