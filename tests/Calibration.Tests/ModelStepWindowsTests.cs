using System.Text.Json.Nodes;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Tests;

/// <summary>
/// Model steps measured in short windows taken round-robin over the configurations (sim-measurements v9): the windows'
/// median steps round-trip through the writer and reader, a bad one is refused with its key path, and older files read
/// without them.
/// </summary>
public sealed class ModelStepWindowsTests
{
    private static MeasurementSet Committed => MeasurementSetReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json"));

    [Fact]
    public void WindowMedians_RoundTrip_AreCheckedWithTheirKeyPath_AndOlderRowsHaveNone()
    {
        var set = Committed;
        double[] windows = [0.0010, 0.0012, 0.0011, 0.0030, 0.0011];
        var models = set.Models.ToList();
        models[0] = models[0] with { MedianSeconds = 0.0011, WindowMedians = windows };
        // a row measured in one window (the TorchSharp backend, files before v9), whatever the committed profile holds
        models[1] = models[1] with { WindowMedians = null };
        using var dir = new TempDirectory();
        string path = dir.File("measurements.json");
        MeasurementSetWriter.Write(set with { Models = models }, path);
        var read = MeasurementSetReader.Read(path);
        Assert.Equal(windows, read.Models[0].WindowMedians);
        Assert.Equal(0.0011, read.Models[0].MedianSeconds);
        // it carries none and writes none
        Assert.Null(read.Models[1].WindowMedians);
        Assert.DoesNotContain("step_window_medians_s", JsonNode.Parse(File.ReadAllText(path))!["models"]![1]!.ToJsonString());

        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root["models"]![0]!["step_window_medians_s"]![3] = -1;
        File.WriteAllText(path, root.ToJsonString());
        Assert.Contains("$.models[0].step_window_medians_s[3]: expected a positive number of seconds",
            Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(path)).Message);
        root["models"]![0]!["step_window_medians_s"] = new JsonArray();
        File.WriteAllText(path, root.ToJsonString());
        Assert.Contains("$.models[0].step_window_medians_s: expected at least one window",
            Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(path)).Message);
    }
}
