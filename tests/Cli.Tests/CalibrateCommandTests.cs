using System.CommandLine;
using System.Text.Json.Nodes;
using Sim.Calibration.Profiles;
using Sim.Cli.Commands;

namespace Sim.Cli.Tests;

/// <summary>
/// `sim calibrate` end to end through System.CommandLine: a real fit from the committed traces,
/// and bad input that must exit with code 2, name the problem and leave no output file.
/// </summary>
public sealed class CalibrateCommandTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    private readonly string _temp = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "sim-cli-calib-" + Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_temp, recursive: true);

    private static string CpuTraces => Path.Combine(RepositoryPaths.Root, "traces", "cpu-amd-epyc");

    internal static (int code, string stdout, string stderr) Run(params string[] args)
    {
        var root = new RootCommand("sim");
        root.Subcommands.Add(CalibrateCommand.Create());
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Fit_CommittedTraces_WritesAReadableProfile()
    {
        string outPath = Path.Combine(_temp, "profile.json");
        var (code, stdout, stderr) = Run("calibrate", "fit", CpuTraces, "--out", outPath);
        Assert.True(code == 0, stderr);
        log.WriteLine(stdout);
        var profile = CalibrationProfileReader.Read(outPath);
        Assert.Equal(3, profile.Models.Count);
        Assert.Contains("held-out check: operation sizes median error", stdout);
        Assert.Contains("link loopback-gloo", stdout);
    }

    [Fact]
    public void Fit_TorchSharpTraces_AlsoChecksTheStepModel()
    {
        string dir = Path.Combine(RepositoryPaths.Root, "traces", "cpu-amd-epyc-2026-12-07", "torchsharp-1");
        var (code, stdout, stderr) = Run("calibrate", "fit", dir, "--out", Path.Combine(_temp, "profile.json"));
        Assert.True(code == 0, stderr);
        log.WriteLine(stdout);
        Assert.Contains("host costs (host-costs.json): dispatch 0.79 us/call", stdout);
        // the committed run's figure (docs/calibration.md): 0.6% over 18 held-out steps
        Assert.Contains("held-out check: batch sizes (TorchSharp step model) median error 0.6 % over 18", stdout);
    }

    /// <summary>A copy of the committed TorchSharp run (traces/cpu-amd-epyc-2026-12-07/torchsharp-1) in this test's folder, to corrupt.</summary>
    private string CopyCommittedTorchSharpTraces()
    {
        string dir = Path.Combine(_temp, "traces");
        string source = Path.Combine(RepositoryPaths.Root, "traces", "cpu-amd-epyc-2026-12-07", "torchsharp-1");
        Directory.CreateDirectory(dir);
        foreach (var f in Directory.GetFiles(source)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        return dir;
    }

    [Fact]
    public void Fit_CorruptHostCosts_ExitsTwo_NamingKeyPath_WithoutOutput()
    {
        string dir = CopyCommittedTorchSharpTraces();
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "host-costs.json")))!;
        root["models"]![1]!["autograd_nodes"] = -3;
        File.WriteAllText(Path.Combine(dir, "host-costs.json"), root.ToJsonString());
        string outPath = Path.Combine(_temp, "profile.json");
        var (code, _, stderr) = Run("calibrate", "fit", dir, "--out", outPath);
        Assert.Equal(2, code);
        Assert.Contains("host-costs.json: $.models[1].autograd_nodes: expected a whole number >= 0", stderr);
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public void Fit_HostCostsWithoutAModel_SaysTheStepModelWasNotChecked()
    {
        string dir = CopyCommittedTorchSharpTraces();
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "host-costs.json")))!;
        root["models"]!.AsArray().RemoveAt(0); // no counts for the mlp
        File.WriteAllText(Path.Combine(dir, "host-costs.json"), root.ToJsonString());
        var (code, stdout, stderr) = Run("calibrate", "fit", dir, "--out", Path.Combine(_temp, "profile.json"));
        Assert.True(code == 0, stderr);
        Assert.Contains("held-out check: TorchSharp step model not checked: no counted calls for model 'mlp'", stdout);
    }

    [Fact]
    public void Fit_MissingDirectory_ExitsTwo_NamingIt()
    {
        string outPath = Path.Combine(_temp, "profile.json");
        var (code, _, stderr) = Run("calibrate", "fit", Path.Combine(_temp, "nope"), "--out", outPath);
        Assert.Equal(2, code);
        Assert.Contains("nope", stderr);
        Assert.False(File.Exists(outPath));
    }

    [Fact]
    public void Fit_CorruptMeasurements_ExitsTwo_NamingKeyPath_WithoutOutput()
    {
        string dir = Path.Combine(_temp, "traces");
        Directory.CreateDirectory(dir);
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(CpuTraces, "measurements.json")))!;
        root["ops"]![0]!["flops"] = "many";
        File.WriteAllText(Path.Combine(dir, "measurements.json"), root.ToJsonString());
        string outPath = Path.Combine(_temp, "profile.json");
        var (code, _, stderr) = Run("calibrate", "fit", dir, "--out", outPath);
        Assert.Equal(2, code);
        // the file, the line and column of the value, its key path and what was expected
        Assert.Matches(@"measurements\.json: line 1, column \d+, \$\.ops\[0\]\.flops: expected a number", stderr);
        Assert.False(File.Exists(outPath));
        Assert.Empty(Directory.GetFiles(_temp, "*.tmp-*"));
    }

    [Fact]
    public void Profile_UnknownDevice_ExitsTwo()
    {
        var (code, _, stderr) = Run("calibrate", "profile", "--device", "tpu", "--out", Path.Combine(_temp, "p"));
        Assert.Equal(2, code);
        Assert.Contains("device: expected one of cpu, cuda, got 'tpu'", stderr);
    }
}
