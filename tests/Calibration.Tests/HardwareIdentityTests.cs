using Sim.Calibration.Fitting;
using Sim.Calibration.Profiles;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Tests;

/// <summary>
/// Hardware identity: measurements are written and read back unchanged (library included), a profile from
/// another CPU or CPU count is reported with the reason, and the search for this machine's measurements
/// picks a matching folder and nothing else.
/// </summary>
public sealed class HardwareIdentityTests
{
    private static MeasurementSet Committed() => MeasurementSetReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json"));

    [Fact]
    public void WriterRoundTripsTheCommittedMeasurementsAndTheLibrary()
    {
        using var temp = new TempDirectory();
        var original = Committed() with { Hardware = Committed().Hardware with { Library = "torchsharp 0.107.0 (LibTorch 2.10.0)" }, Clock = "thread_cpu" };
        MeasurementSetWriter.Write(original, temp.File("measurements.json"));
        var back = MeasurementSetReader.Read(temp.File("measurements.json"));
        Assert.Equal(original.Hardware, back.Hardware);
        Assert.Equal(original.Clock, back.Clock);
        Assert.Equal(original.Ops.Select(o => (o.Op, o.Flops, o.Bytes, o.MedianSeconds)), back.Ops.Select(o => (o.Op, o.Flops, o.Bytes, o.MedianSeconds)));
        Assert.Equal(original.Models.Select(m => (m.Model, m.Batch, m.MedianSeconds, m.Layers.Count)), back.Models.Select(m => (m.Model, m.Batch, m.MedianSeconds, m.Layers.Count)));
        Assert.Equal(original.Collectives, back.Collectives);
        Assert.Equal(original.DdpPatternRows, back.DdpPatternRows);
        // the library reaches the fitted profile and survives its writer and reader
        var profile = CalibrationFitter.Fit(back);
        CalibrationProfileWriter.Write(profile, temp.File("profile.json"));
        Assert.Equal("torchsharp 0.107.0 (LibTorch 2.10.0)", CalibrationProfileReader.Read(temp.File("profile.json")).Hardware.Library);
        // same set, same bytes
        MeasurementSetWriter.Write(original, temp.File("again.json"));
        Assert.Equal(File.ReadAllBytes(temp.File("measurements.json")), File.ReadAllBytes(temp.File("again.json")));
    }

    [Fact]
    public void DifferencesNameTheCpuAndTheCoreCount()
    {
        var amd = new HardwareDescription("cpu", "AMD EPYC", 2, 1, "1.13.0a0", null, "pytorch 1.13.0a0 (python 3.11.2)");
        Assert.Empty(HardwareIdentity.Differences(amd, amd with { Threads = 2, TorchVersion = "other", CpuModel = "AMD  EPYC " }));
        var intel = amd with { CpuModel = "Intel(R) Xeon(R) CPU @ 2.80GHz" };
        var d = Assert.Single(HardwareIdentity.Differences(amd, intel));
        Assert.Contains("AMD EPYC", d);
        Assert.Contains("Xeon", d);
        Assert.Equal(2, HardwareIdentity.Differences(amd, intel with { Cores = 4 }).Count);
        Assert.Null(HardwareIdentity.LibraryDifference(amd, "pytorch"));
        Assert.Null(HardwareIdentity.LibraryDifference(amd with { Library = null }, "pytorch")); // older profiles are PyTorch's
        Assert.Contains("torchsharp", HardwareIdentity.LibraryDifference(amd with { Library = "torchsharp 0.107.0" }, "pytorch"));
        Assert.Equal("cpu-intel-r-xeon-r-cpu-2-80ghz", HardwareIdentity.Slug(intel.CpuModel));
    }

    [Fact]
    public void SearchFindsOnlyMeasurementsOfThisCpuAndLibrary()
    {
        using var temp = new TempDirectory();
        var set = Committed();
        void Put(string name, HardwareDescription hw) => MeasurementSetWriter.Write(set with { Hardware = hw }, Path.Combine(temp.Path, name, "measurements.json"));
        var here = new HardwareDescription("cpu", "Intel(R) Xeon(R) CPU @ 2.80GHz", 2, 1, "", null, "pytorch");
        Put("a-amd", set.Hardware);
        Put("b-xeon-torchsharp", here with { Library = "torchsharp 0.107.0" });
        Assert.Null(MatchingMeasurements.Find([temp.Path], here, "pytorch"));
        Put("c-xeon-pytorch", here with { Library = "pytorch 1.13.0a0 (python 3.11.2)" });
        Directory.CreateDirectory(Path.Combine(temp.Path, "d-broken"));
        File.WriteAllText(Path.Combine(temp.Path, "d-broken", "measurements.json"), "{ not json");
        Assert.Equal(Path.Combine(temp.Path, "c-xeon-pytorch"), MatchingMeasurements.Find([temp.Path], here, "pytorch"));
        Assert.Equal(Path.Combine(temp.Path, "b-xeon-torchsharp"), MatchingMeasurements.Find([temp.Path], here, "torchsharp"));
        Assert.Equal(Path.Combine(temp.Path, "a-amd"), MatchingMeasurements.Find([Path.Combine(temp.Path, "missing"), temp.Path], set.Hardware, "pytorch"));
    }

    [Fact]
    public void ScenarioComputeFromAnotherCpuSaysSoInItsDescription()
    {
        var profile = CalibrationFitter.Fit(Committed());
        var here = profile with { Hardware = profile.Hardware with { CpuModel = HardwareIdentity.CpuModel(), Cores = HardwareIdentity.LogicalCpus() } };
        Assert.Null(new CalibratedCompute(here, "here.json").HardwareWarning);
        var other = profile with { Hardware = profile.Hardware with { CpuModel = "Imaginary CPU 9000" } };
        var compute = new CalibratedCompute(other, "other.json");
        Assert.Contains("Imaginary CPU 9000", compute.HardwareWarning);
        Assert.Contains("warning: measured on other hardware", compute.Describe());
        // a GPU profile describes the GPU machine it came from, not this CPU: no warning
        Assert.Null(new CalibratedCompute(other with { Hardware = other.Hardware with { Device = "cuda" } }, "gpu.json").HardwareWarning);
    }
}
