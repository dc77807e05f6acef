using System.CommandLine;
using System.Globalization;
using Sim.Calibration.Fitting;
using Sim.Calibration.Profiles;
using Sim.Calibration.Profiling;
using Sim.Calibration.TorchSharp;
using Sim.Calibration.Traces;

namespace Sim.Cli.Commands;

/// <summary>
/// `sim calibrate`: measure this machine and turn the measurements into a calibration profile,
/// like taking a car to the test bench (`profile`) and then writing its spec sheet (`fit`).
///   sim calibrate profile --device cpu|cuda --out DIR [--backend auto|torchsharp|pytorch] [--threads N] [--grid short|full] [--repeats N] [--no-collectives]
///   (auto: TorchSharp in-process on the CPU, PyTorch through Python on CUDA; TorchSharp measures no gloo collectives)
///   sim calibrate fit TRACE_DIR --out PROFILE.json
///   sim calibrate gpu-profile --device cuda|cpu --out DIR (GPU kernels; see GpuProfileCommand)
///   sim calibrate gpu-fit DIR --hardware dgx-h100 --out FILE.yaml (GPU kernel figures; see GpuFitCommand)
/// Bad input (unknown device, missing or corrupt measurement files) prints what is wrong, naming
/// the file and the line or key path, and exits with code 2; the profile file is written whole
/// or not at all.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create()
    {
        var command = new Command("calibrate", "Profile real kernels on this machine and fit a calibration profile");
        command.Subcommands.Add(CreateProfile());
        command.Subcommands.Add(CreateFit());
        command.Subcommands.Add(GpuProfileCommand.Create());
        command.Subcommands.Add(GpuFitCommand.Create());
        return command;
    }

    private static Command CreateProfile()
    {
        var device = new Option<string>("--device") { Description = "Device to profile: cpu or cuda", DefaultValueFactory = _ => "cpu" };
        var output = new Option<string>("--out") { Description = "Directory for measurements.json, traces and step logs", Required = true };
        var threads = new Option<int>("--threads") { Description = "torch.set_num_threads (0 = library default)", DefaultValueFactory = _ => 1 };
        var grid = new Option<string>("--grid") { Description = "Size grid: short (about 10 s) or full", DefaultValueFactory = _ => "short" };
        var repeats = new Option<int>("--repeats") { Description = "Timed repeats per point (median is kept)", DefaultValueFactory = _ => 11 };
        var noCollectives = new Option<bool>("--no-collectives") { Description = "Skip the gloo all-reduce benchmark (pytorch backend)" };
        var backend = new Option<string>("--backend") { Description = "auto (torchsharp on cpu, pytorch on cuda), torchsharp (in-process, CPU, no collectives) or pytorch (Python; CUDA, gloo collectives, the library `sim validate ddp` runs)", DefaultValueFactory = _ => "auto" };
        var command = new Command("profile", "Run real kernels and model training steps (and, with PyTorch, gloo all-reduce) on this machine");
        foreach (var o in new Option[] { device, output, threads, grid, repeats, noCollectives, backend }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var (stdout, stderr) = Writers(parse);
            var request = new ProfileRequest(parse.GetValue(device)!, parse.GetValue(output)!, parse.GetValue(threads),
                parse.GetValue(grid)!, parse.GetValue(repeats), !parse.GetValue(noCollectives));
            try
            {
                request.Validate();
                IProfilerBackend profiler = ProfilerBackends.Choose(parse.GetValue(backend)!, request.Device);
                stdout.WriteLine($"backend: {profiler.Name}");
                var result = profiler.Profile(request);
                foreach (var line in result.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)) stdout.WriteLine($"  {line}");
                stdout.WriteLine($"measurements: {result.MeasurementsPath}");
                foreach (var t in result.TraceFiles) stdout.WriteLine($"trace: {t}");
                foreach (var l in result.StepLogs) stdout.WriteLine($"step log: {l}");
                return ExitCodes.Success;
            }
            catch (ArgumentException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.BadInput; }
            catch (ProfilerUnavailableException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.BadInput; }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or IOException)
            {
                stderr.WriteLine($"error: {e.Message}");
                return ExitCodes.Failure;
            }
        });
        return command;
    }

    private static Command CreateFit()
    {
        var traceDir = new Argument<string>("TRACE_DIR") { Description = "Directory written by `sim calibrate profile` (measurements.json, steps-*.log, trace-*.json, *.nccl.txt)" };
        var output = new Option<string>("--out") { Description = "Calibration profile JSON to write", Required = true };
        var command = new Command("fit", "Fit efficiency curves, alpha-beta links and jitter into a calibration profile");
        command.Arguments.Add(traceDir);
        command.Options.Add(output);
        command.SetAction(parse =>
        {
            var (stdout, stderr) = Writers(parse);
            string dir = parse.GetValue(traceDir)!;
            string outPath = parse.GetValue(output)!;
            CalibrationProfile profile;
            (TorchHostCosts Costs, IReadOnlyList<TorchStepCounts> Counts)? hostCosts = null;
            try
            {
                profile = CalibrationFitter.FitDirectory(dir);
                string hostCostPath = Path.Combine(dir, TorchHostCostFile.FileName);
                if (File.Exists(hostCostPath)) hostCosts = TorchHostCostFile.Read(hostCostPath);
            }
            catch (TraceFormatException e) { stderr.WriteLine($"error: {e.Message}"); return ExitCodes.BadInput; }
            catch (ArgumentException e) { stderr.WriteLine($"error: {dir}: cannot fit: {e.Message}"); return ExitCodes.BadInput; }
            try { CalibrationProfileWriter.Write(profile, outPath); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                stderr.WriteLine($"error: {outPath}: cannot write: {e.Message}");
                return ExitCodes.BadInput;
            }
            WriteSummary(stdout, profile, dir, outPath, hostCosts);
            return ExitCodes.Success;
        });
        return command;
    }

    private static void WriteSummary(TextWriter w, CalibrationProfile p, string dir, string outPath,
        (TorchHostCosts Costs, IReadOnlyList<TorchStepCounts> Counts)? hostCosts)
    {
        var inv = CultureInfo.InvariantCulture;
        w.WriteLine($"profile {outPath} from {dir} ({p.Hardware.CpuModel}, {p.Hardware.Cores} cores, {p.Hardware.Threads} thread(s), torch {p.Hardware.TorchVersion}{(p.Hardware.Library is null ? "" : $" via {p.Hardware.Library}")}, device {p.Hardware.Device}, clock {p.Clock})");
        w.WriteLine(string.Create(inv, $"roofline: {p.Roofline.PeakFlopsPerSecond / 1e9:F1} GFLOP/s, {p.Roofline.MemoryBytesPerSecond / 1e9:F1} GB/s"));
        foreach (var o in p.Operations)
            w.WriteLine(string.Create(inv, $"op {o.Name,-18} {o.Work.ToString().ToLowerInvariant(),-5} max rate {o.Curve.MaxRate:G3}/s  half at {o.Curve.HalfRateWork:G3}  k {o.Curve.Sharpness:F2}  points {o.Points}  curve error {o.MedianRelativeError:P1}"));
        foreach (var m in p.Models)
            w.WriteLine(string.Create(inv, $"model {m.Model,-12} {m.TrainFlopsPerSample:G3} FLOP/sample  max {m.Curve.MaxRate / 1e9:F1} GFLOP/s  points {m.Points}  fit error {m.MedianRelativeError:P1}"));
        foreach (var l in p.Links)
            w.WriteLine(string.Create(inv, $"link {l.LinkClass}: alpha {l.Cost.AlphaSeconds * 1e6:F1} us, {l.Cost.BandwidthBytesPerSecond / 1e9:F2} GB/s ({l.Collective}, {l.Ranks} ranks, {l.Points} sizes, fit error {l.MedianRelativeError:P1})"));
        if (p.Jitter is { } j) w.WriteLine($"jitter: {j.Describe()} over {j.Samples} steps (AIC picked {j.Family})");

        var set = MeasurementSetReader.Read(Path.Combine(dir, CalibrationFitter.MeasurementsFile));
        var ops = HeldOutEvaluation.OperationSizes(set.Ops);
        var batches = HeldOutEvaluation.BatchSizes(set.Models);
        if (ops.Count > 0)
            w.WriteLine(string.Create(inv, $"held-out check: operation sizes median error {FitError.MedianRelative(ops.Select(x => (x.PredictedSeconds, x.MeasuredSeconds))):P1} over {ops.Count}"));
        if (batches.Count > 0)
            w.WriteLine(string.Create(inv, $"held-out check: batch sizes median error {FitError.MedianRelative(batches.Select(x => (x.PredictedSeconds, x.MeasuredSeconds))):P1} over {batches.Count}"));
        foreach (var model in batches.GroupBy(b => b.Name))
            w.WriteLine(string.Create(inv, $"held-out check: {model.Key} training step at batch {string.Join(", ", model.Select(b => $"{b.Size:G4}: {100 * b.RelativeError:F1}%"))}"));
        // How much the machine moved the step rows while they were measured (sim-measurements v9: five windows per
        // configuration, round-robin): the largest spread of a configuration's windows, (max - min) / median, per model.
        foreach (var model in set.Models.Where(m => m.WindowMedians is { Count: > 1 }).GroupBy(m => m.Model))
        {
            var spreads = model.Select(m => (Batch: m.Batch, Spread: (m.WindowMedians!.Max() - m.WindowMedians!.Min()) / m.MedianSeconds)).ToList();
            var worst = spreads.MaxBy(x => x.Spread);
            w.WriteLine(string.Create(inv, $"step windows: {model.Key} median spread {100 * spreads.Select(x => x.Spread).Order().ElementAt(spreads.Count / 2):F1}% over {spreads.Count} batch sizes, largest {100 * worst.Spread:F1}% at batch {worst.Batch} ((max - min) / median of each configuration's window medians)"));
        }
        // A TorchSharp profile also carries the host costs of a step: the step model (host costs plus kernel time
        // between profiled sizes) predicts its held-out batch sizes too.
        if (hostCosts is not { } hc) return;
        w.WriteLine($"host costs ({TorchHostCostFile.FileName}): {hc.Costs.Describe()}");
        IReadOnlyList<HeldOutPrediction> steps;
        try { steps = TorchStepModel.HeldOutBatchSizes(hc.Costs, hc.Counts, set.Models); }
        catch (ArgumentException e)
        {
            // a host-cost file that does not go with these measurements (a model it has not counted): say so, the profile stands
            w.WriteLine($"held-out check: TorchSharp step model not checked: {e.Message}");
            return;
        }
        if (steps.Count == 0) return;
        w.WriteLine(string.Create(inv, $"held-out check: batch sizes (TorchSharp step model) median error {FitError.MedianRelative(steps.Select(x => (x.PredictedSeconds, x.MeasuredSeconds))):P1} over {steps.Count}"));
        foreach (var model in steps.GroupBy(b => b.Name))
            w.WriteLine(string.Create(inv, $"held-out check: {model.Key} step model at batch {string.Join(", ", model.Select(b => $"{b.Size:G4}: {100 * b.RelativeError:F1}%"))}"));
    }

    private static (TextWriter stdout, TextWriter stderr) Writers(ParseResult parse) =>
        (parse.InvocationConfiguration.Output ?? Console.Out, parse.InvocationConfiguration.Error ?? Console.Error);
}
