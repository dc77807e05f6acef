using System.Text.Json.Nodes;

namespace Sim.Cli.Tests;

/// <summary>
/// Hardware identity on the command line: `sim validate ddp` with measurements of another CPU warns, and
/// refuses before running anything with --strict-hardware (exit 2, the difference named, no results
/// folder); `sim calibrate profile --backend` rejects an unknown backend as bad input.
/// </summary>
public sealed class HardwareIdentityCommandTests : IDisposable
{
    private readonly string _temp = Directory.CreateTempSubdirectory("sim-cli-hw-").FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static string CommittedMeasurements()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sim.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, "traces", "cpu-amd-epyc", "measurements.json");
    }

    [Fact]
    public void StrictHardwareRefusesMeasurementsOfAnotherCpuBeforeRunningAnything()
    {
        string measured = Path.Combine(_temp, "other-cpu");
        Directory.CreateDirectory(measured);
        var doc = JsonNode.Parse(File.ReadAllText(CommittedMeasurements()))!;
        doc["hardware"]!["cpu_model"] = "Imaginary CPU 9000";
        File.WriteAllText(Path.Combine(measured, "measurements.json"), doc.ToJsonString());
        string output = Path.Combine(_temp, "out");

        var (code, stdout, error) = SimCommandLine.Invoke("validate", "ddp", "--measurements", measured, "--strict-hardware", "--out", output);
        Assert.Equal(2, code);
        Assert.Contains("Imaginary CPU 9000", error);
        Assert.Contains("--strict-hardware", error);
        Assert.DoesNotContain("   at ", error);
        Assert.False(Directory.Exists(output));
        Assert.DoesNotContain("configurations x", stdout);
    }

    [Fact]
    public void UnknownProfilerBackendIsBadInput()
    {
        var (code, _, error) = SimCommandLine.Invoke("calibrate", "profile", "--backend", "abacus", "--out", Path.Combine(_temp, "p"));
        Assert.Equal(2, code);
        Assert.Contains("--backend", error);
        Assert.Contains("torchsharp", error);
        Assert.False(Directory.Exists(Path.Combine(_temp, "p")));
    }
}
