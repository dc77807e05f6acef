using System.Text.Json.Nodes;
using Sim.Calibration.Fitting;
using Sim.Calibration.Profiling;
using Sim.Calibration.Traces;
using Sim.Calibration.Validation;
using Sim.Core;
using Sim.Models.Compute;
using Xunit.Abstractions;

namespace Sim.Calibration.Tests;

/// <summary>
/// The machine-speed reference of <c>sim validate ddp</c> (sim-measurements v10, <c>speed_reference</c>): the factor's
/// arithmetic, that without a reference nothing changes, that a factor slows every CPU term alike, the reader's errors
/// for bad reference rows, and (with PyTorch) that the real round-robin and profiler time it.
/// </summary>
public sealed class SpeedReferenceTests(ITestOutputHelper output)
{
    private static readonly MeasurementSet Committed = MeasurementSetReader.Read(Path.Combine(RepositoryPaths.CpuTraces, "measurements.json"));
    private static readonly Profiles.CalibrationProfile Profile = CalibrationFitter.FitDirectory(RepositoryPaths.CpuTraces);

    private static SpeedReferenceMeasurement Profiled(params double[] windows) => new(SpeedReferenceMeasurement.CurrentMix, "process_cpu",
        windows, windows.Select(w => 2 * w).ToArray(), windows.Select(w => w / 2).ToArray(), windows.Select(w => w / 3).ToArray(),
        windows.Select(w => w / 6).ToArray(), 2.4e-3, 2.6e-3);

    // units with their CPU seconds; their wall seconds are 1.5 times that (a one-thread process that got two thirds of a core)
    private static SpeedReferenceRun Now(params double[][] windows) => new(windows.SelectMany((units, w) => units.Select((s, i) =>
        new StepTimeRecord(i, 1.5 * s, SpeedReferenceMeasurement.StepLogModel, null, 0, 1, StepCpuSeconds: s, Window: w))).ToList());

    [Fact]
    public void Factor_IsTheMedianOfWindowMediansNow_OverTheSameAtProfileTime()
    {
        // profiled: window medians 2, 3, 2.5 ms -> 2.5 ms; now: windows with medians 3, 2.75, 3.25 ms -> 3 ms; factor 3 / 2.5 = 1.2
        var speed = MachineSpeed.From(Profiled(2e-3, 3e-3, 2.5e-3), Now([3e-3, 2.9e-3, 3.1e-3], [2.75e-3, 1e-2, 2.7e-3], [3.25e-3, 3.2e-3, 3.3e-3]));
        Assert.True(speed.Adjusted);
        Assert.Equal(2.5e-3, speed.ProfiledSeconds!.Value, 15);
        Assert.Equal(3e-3, speed.NowSeconds!.Value, 15);
        Assert.Equal(1.2, speed.Factor, 12);
        // the wall ratio is reported: profiled wall medians are twice the CPU ones (5 ms), now 1.5 times (4.5 ms)
        Assert.Equal(0.9, speed.WallFactor, 12);
        // faster now: below 1
        Assert.Equal(0.8, MachineSpeed.From(Profiled(2.5e-3), Now([2e-3])).Factor, 12);
    }

    [Fact]
    public void NoReference_OrAnotherMix_GivesFactorOne_AndSaysWhy()
    {
        var none = MachineSpeed.From(null, Now([3e-3]));
        Assert.Equal(1, none.Factor);
        Assert.False(none.Adjusted);
        Assert.Contains("no speed reference", none.Reason);
        var other = MachineSpeed.From(Profiled(2e-3) with { Mix = "something else" }, Now([3e-3]));
        Assert.Equal(1, other.Factor);
        Assert.Contains("another mix", other.Reason);
        Assert.Equal(1, MachineSpeed.From(Profiled(2e-3), null).Factor);
    }

    [Fact]
    public void FactorOne_LeavesEveryPredictionBitForBitAsBefore()
    {
        foreach (var (model, batch, procs) in DdpValidation.DefaultGrid)
            Assert.Equal(DdpValidation.PredictOnHost(Profile, Committed, model, batch, procs, [0.7], seed: 1),
                DdpValidation.PredictOnHost(Profile, Committed, model, batch, procs, [0.7], seed: 1, speedFactor: 1));
        // and Predict reports the unadjusted prediction as the prediction
        var runs = new[] { new MeasuredRun("mlp", 8, 2, [new StepTimeRecord(0, 2e-3, "mlp", 8, 0, 2)]) };
        var c = Assert.Single(DdpValidation.PredictMeasured(Profile, Committed, [("mlp", 8, 2)], runs, 20, speedFactor: 1, adjustSpeed: true));
        Assert.Equal(c.UnadjustedSeconds, c.PredictedSeconds);
        Assert.Equal(c.UnadjustedSeconds, c.AdjustedSeconds);
        Assert.Equal(1, c.SpeedFactor);
    }

    [Fact]
    public void Factor_SlowsEveryTermAlike_SoTheWholeIterationScalesByIt()
    {
        // Oracle: every duration in the simulated job (CPU work on the shared host, DDP's wall floors) is f times longer and the
        // background takes the same share of the cores, so every event happens at f times its time: the median iteration is f times.
        foreach (var (model, batch, procs) in DdpValidation.DefaultGrid)
        foreach (double background in new[] { 0.0, 0.9 })
        {
            double at1 = DdpValidation.PredictOnHost(Profile, Committed, model, batch, procs, [background], seed: 1);
            double at = DdpValidation.PredictOnHost(Profile, Committed, model, batch, procs, [background], seed: 1, speedFactor: 1.15);
            Assert.Equal(1.15, at / at1, 9);
        }
        var runs = new[] { new MeasuredRun("cnn", 32, 2, [new StepTimeRecord(0, 2e-3, "cnn", 32, 0, 2)]) };
        var c = Assert.Single(DdpValidation.PredictMeasured(Profile, Committed, [("cnn", 32, 2)], runs, 20, speedFactor: 0.9));
        Assert.Equal(0.9, c.AdjustedSeconds / c.UnadjustedSeconds, 9);
        Assert.Equal(0.9, c.SpeedFactor);
        // adopted only when asked (--adjust-speed)
        Assert.Equal(c.UnadjustedSeconds, c.PredictedSeconds);
        Assert.Equal(c.AdjustedSeconds, DdpValidation.PredictMeasured(Profile, Committed, [("cnn", 32, 2)], runs, 20, 0.9, adjustSpeed: true)[0].PredictedSeconds);
        Assert.Throws<ArgumentOutOfRangeException>(() => DdpValidation.PredictOnHost(Profile, Committed, "mlp", 8, 1, [], 1, speedFactor: 0));
    }

    [Fact]
    public void ComputeOnly_LiesBetweenUnadjustedAndAllTerms_AndScalesTheComputeWorkByTheFactor()
    {
        // the reported alternative: the factor on the layers and the optimizer alone, DDP's terms as profiled
        foreach (var (model, batch, procs) in DdpValidation.DefaultGrid)
        {
            var runs = new[] { new MeasuredRun(model, batch, procs, [new StepTimeRecord(0, 2e-3, model, batch, 0, procs)]) };
            var c = Assert.Single(DdpValidation.PredictMeasured(Profile, Committed, [(model, batch, procs)], runs, 20, speedFactor: 1.2));
            Assert.InRange(c.ComputeOnlySeconds, c.UnadjustedSeconds, c.AdjustedSeconds * (1 + 1e-12));
            // its CPU work per iteration grows by 20% of the compute part only: more than nothing, less than 20% of everything
            Assert.InRange(c.ComputeOnlyModelCpuSeconds, c.ModelCpuSeconds * (1 + 1e-9), c.ModelCpuSeconds * 1.2);
            var one = Assert.Single(DdpValidation.PredictMeasured(Profile, Committed, [(model, batch, procs)], runs, 20, speedFactor: 1));
            Assert.Equal(one.UnadjustedSeconds, one.ComputeOnlySeconds);
        }
    }

    [Fact]
    public void SharedHost_CoreSpeed_StretchesWorkByItsInverse()
    {
        // one thread with 1 s of measured work on a host at half speed, another group using one of two cores: done at 2 s
        var sim = new Simulation(1);
        var host = new SharedCpuHost(sim, 2, [1.0], coreSpeed: 0.5);
        double done = double.NaN;
        host.Run(1.0, _ => done = sim.Now, 0);
        sim.Run();
        Assert.Equal(2.0, done, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new SharedCpuHost(new Simulation(1), 2, null, coreSpeed: 0));
    }

    [Fact]
    public void Reference_RoundTrips_OlderFilesHaveNone_AndBadRowsAreRefusedWithTheirKeyPath()
    {
        using var dir = new TempDirectory();
        string path = dir.File("measurements.json");
        var reference = Profiled(2e-3, 3e-3, 2.5e-3);
        MeasurementSetWriter.Write(Committed with { SpeedReference = reference }, path);
        var read = MeasurementSetReader.Read(path).SpeedReference!;
        Assert.Equal(reference.WindowMedians, read.WindowMedians);
        Assert.Equal(reference.DispatchWindowMedians, read.DispatchWindowMedians);
        Assert.Equal((2.4e-3, 2.6e-3, SpeedReferenceMeasurement.CurrentMix), (read.KernelGridBeforeSeconds, read.KernelGridAfterSeconds, read.Mix));
        Assert.Equal(2.5e-3, read.MedianSeconds, 15);
        // none measured (a GPU profile, the TorchSharp backend): null
        MeasurementSetWriter.Write(Committed with { SpeedReference = null }, path);
        Assert.Null(MeasurementSetReader.Read(path).SpeedReference);
        // a file before v10 has no key and reads without a reference
        var root = JsonNode.Parse(File.ReadAllText(path))!;
        root.AsObject().Remove("speed_reference");
        root["version"] = 9;
        File.WriteAllText(path, root.ToJsonString());
        Assert.Null(MeasurementSetReader.Read(path).SpeedReference);

        MeasurementSetWriter.Write(Committed with { SpeedReference = reference }, path);
        string good = File.ReadAllText(path);
        void Refused(Action<JsonNode> spoil, string expected)
        {
            var doc = JsonNode.Parse(good)!;
            spoil(doc);
            File.WriteAllText(path, doc.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
            string message = Assert.Throws<TraceFormatException>(() => MeasurementSetReader.Read(path)).Message;
            output.WriteLine(message);
            Assert.Contains(expected, message);
            Assert.Matches(@"measurements\.json: line \d+, column \d+, \$", message);
        }
        Refused(d => d.AsObject().Remove("speed_reference"), "$.speed_reference: missing");
        Refused(d => d["speed_reference"] = 3, "$.speed_reference: expected an object or null");
        Refused(d => d["speed_reference"]!["window_medians_s"]![1] = -1, "$.speed_reference.window_medians_s[1]: expected a positive number of seconds");
        Refused(d => d["speed_reference"]!["window_medians_s"] = new JsonArray(), "$.speed_reference.window_medians_s: expected at least one window");
        Refused(d => d["speed_reference"]!["matmul_window_medians_s"] = new JsonArray(1e-3), "$.speed_reference.matmul_window_medians_s: expected 3 windows");
        Refused(d => d["speed_reference"]!["clock"] = "wall", "$.speed_reference.clock: expected \"process_cpu\"");
        Refused(d => d["speed_reference"]!["kernel_grid_after_s"] = 0, "$.speed_reference.kernel_grid_after_s");
        Refused(d => d["speed_reference"]!["windows_medians_s"] = new JsonArray(1e-3), "$.speed_reference.windows_medians_s: unknown key");
        Refused(d => d["speed_reference"]!.AsObject().Remove("mix"), "$.speed_reference.mix: missing");
    }

    [TorchFact]
    public void RoundRobin_TimesTheReferenceAsOneMoreConfiguration()
    {
        TorchEnvironment.Require();
        var (runs, reference) = new MeasuredRunner().RunRoundsWithReference([("mlp", 8, 1)], rounds: 3, windowSeconds: 0.1, iterationsPerWindow: 3, warmupPerWindow: 1);
        output.WriteLine($"reference windows {string.Join(" ", reference.WindowMedians.Select(m => (m * 1e3).ToString("F3")))} ms; mlp " +
                         $"{string.Join(" ", runs[0].WindowMedians.Select(m => (m * 1e3).ToString("F3")))} ms; load {File.ReadAllText("/proc/loadavg").Trim()}");
        Assert.Equal(3, runs[0].WindowMedians.Count);
        Assert.DoesNotContain(runs[0].Steps, s => s.Model == SpeedReferenceMeasurement.StepLogModel);
        // its own windows, one per round, each of at least 10 units and 0.1 s; the unit (two 256x256 matmuls, two adds of 2^20
        // floats, 256 small adds) takes a millisecond or a few on one core of a server CPU: structure and plausibility only, the
        // spread between windows is this machine's noise and not bounded here
        Assert.Equal(3, reference.WindowMedians.Count);
        Assert.All(reference.Units.GroupBy(u => u.Window), g => Assert.InRange(g.Count(), 10, 1_000_000));
        Assert.All(reference.Units, u => Assert.Equal((1, 0), (u.WorldSize!.Value, u.Rank!.Value)));
        Assert.InRange(reference.MedianSeconds, 1e-4, 0.1);
        // one thread: a unit's wall time holds its CPU time (but for the CPU clock's granularity)
        Assert.All(reference.Units, u => Assert.True(u.Seconds > 0.9 * u.StepCpuSeconds!.Value));
    }
}

/// <summary>The real profiler records the speed reference (sim-measurements v10): in the model-step round-robin and around
/// the kernel grid.</summary>
[Collection(ProfilerRunCollection.Name)]
public sealed class ProfiledSpeedReferenceTests(ProfilerRunFixture run, ITestOutputHelper output)
{
    [TorchFact]
    public void FreshRun_RecordsTheReference_InTheModelRoundsAndAroundTheKernels()
    {
        var reference = MeasurementSetReader.Read(run.Result.MeasurementsPath).SpeedReference;
        Assert.NotNull(reference);
        output.WriteLine($"windows {string.Join(" ", reference.WindowMedians.Select(m => (m * 1e3).ToString("F3")))} ms; kernel grid before " +
                         $"{reference.KernelGridBeforeSeconds * 1e3:F3} after {reference.KernelGridAfterSeconds * 1e3:F3} ms; load {File.ReadAllText("/proc/loadavg").Trim()}");
        Assert.Equal(SpeedReferenceMeasurement.CurrentMix, reference.Mix);
        // one window per model round (sim_profile.py MODEL_ROUNDS, 5)
        Assert.Equal(5, reference.WindowMedians.Count);
        // plausibility, no bound on the spread: a unit is a millisecond or a few of one core; its wall time is at least its CPU time
        // (one thread) but for a clock tick; the three parts take less than the whole
        Assert.All(reference.WindowMedians.Append(reference.KernelGridBeforeSeconds).Append(reference.KernelGridAfterSeconds), s => Assert.InRange(s, 1e-4, 0.1));
        for (int w = 0; w < 5; w++)
        {
            Assert.True(reference.WallWindowMedians[w] > 0.9 * reference.WindowMedians[w]);
            Assert.True(reference.MatmulWindowMedians[w] + reference.ElementwiseWindowMedians[w] + reference.DispatchWindowMedians[w] < 1.1 * reference.WindowMedians[w]);
        }
    }
}
