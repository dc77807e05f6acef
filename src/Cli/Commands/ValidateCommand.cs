using System.CommandLine;
using Sim.Reports;
using Sim.Scenarios.Validation;

namespace Sim.Cli.Commands;

/// <summary><c>sim validate ...</c>: predictions set beside measurements of real systems.</summary>
public static class ValidateCommand
{
    private static Command CreateDdp()
    {
        var measurements = new Option<DirectoryInfo?>("--measurements") { Description = "Folder with measurements.json from `sim calibrate profile --backend pytorch` (default: the first folder under traces/ or results/calibration/ measured on this machine's CPU with PyTorch; when there is none, this machine is calibrated first into results/calibration/cpu-<model>)." };
        var profileFile = new Option<FileInfo?>("--profile") { Description = "A calibration profile from `sim calibrate fit` (default: fitted from --measurements)." };
        var iterations = new Option<int>("--iterations") { Description = "Measured DDP iterations per configuration, at least, spread over its windows (more when the windows take longer than the iterations; every scheduling group's CPU use is measured over the windows).", DefaultValueFactory = _ => 20 };
        var rounds = new Option<int>("--rounds") { Description = "Measurement windows per configuration, taken round-robin over all configurations (the figure is the median over windows; their spread is reported).", DefaultValueFactory = _ => 5 };
        var window = new Option<double>("--window") { Description = "Seconds per measurement window, at least.", DefaultValueFactory = _ => 0.3 };
        var models = new Option<string>("--models") { Description = "Comma-separated models (mlp, cnn, transformer).", DefaultValueFactory = _ => "mlp,cnn,transformer" };
        var batches = new Option<string>("--batches") { Description = "Comma-separated batch sizes.", DefaultValueFactory = _ => "8,32" };
        var processes = new Option<string>("--processes") { Description = "Comma-separated process counts (one compute thread each).", DefaultValueFactory = _ => "1,2" };
        var outDir = new Option<DirectoryInfo?>("--out") { Description = "Results folder (default results/validate-ddp)." };
        var calibrateGrid = new Option<string>("--calibrate-grid") { Description = "Grid for the calibration run made first when no measurements of this machine exist (short or full).", DefaultValueFactory = _ => "short" };
        var adjustSpeed = new Option<bool>("--adjust-speed") { Description = "Predict for the machine at the speed the speed reference measured beside the runs (predicted_ms = predicted_adjusted_ms); by default predicted_ms is at the profile's speed. Both are reported either way." };
        var strictHardware = new Option<bool>("--strict-hardware") { Description = "Refuse (exit 2) instead of warning when the profile's hardware or library differs from this machine's." };
        var command = new Command("ddp", "Run real PyTorch DDP over gloo on this machine and the same configurations in the simulator; print measured vs predicted");
        foreach (var o in new Option[] { measurements, profileFile, iterations, rounds, window, models, batches, processes, outDir, calibrateGrid, strictHardware, adjustSpeed }) command.Options.Add(o);
        command.SetAction(parse => CommandGuard.Run(parse, () =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var here = Sim.Calibration.Profiles.HardwareIdentity.ThisCpu(1, "", "pytorch");
            string dir = parse.GetValue(measurements)?.FullName ?? MeasurementsForThisMachine(here, stderr, parse.GetValue(calibrateGrid)!);
            var set = Sim.Calibration.Traces.MeasurementSetReader.Read(Path.Combine(dir, Sim.Calibration.Fitting.CalibrationFitter.MeasurementsFile));
            var profile = parse.GetValue(profileFile) is { } pf
                ? Sim.Calibration.Profiles.CalibrationProfileReader.Read(pf.FullName)
                : Sim.Calibration.Fitting.CalibrationFitter.FitDirectory(dir);
            // A profile from other hardware, or measured through another library than the PyTorch that runs the
            // DDP jobs, predicts another machine: say so (and refuse with --strict-hardware).
            var mismatch = Sim.Calibration.Profiles.HardwareIdentity.Differences(profile.Hardware, here).ToList();
            if (Sim.Calibration.Profiles.HardwareIdentity.LibraryDifference(profile.Hardware, "pytorch") is { } library) mismatch.Add(library);
            foreach (var m in mismatch) stderr.WriteLine($"warning: the profile does not describe this machine: {m}");
            if (mismatch.Count > 0 && parse.GetValue(strictHardware))
                throw new UsageException($"--strict-hardware: the profile ({profile.Hardware.CpuModel}) does not describe this machine ({here.CpuModel}): {string.Join("; ", mismatch)}");
            int its = parse.GetValue(iterations);
            if (its < 3) throw new UsageException($"--iterations: expected at least 3, got {its}");
            int windows = parse.GetValue(rounds);
            if (windows < 1 || windows > 100) throw new UsageException($"--rounds: expected 1 to 100, got {windows}");
            double windowSeconds = parse.GetValue(window);
            if (!(windowSeconds >= 0.05) || windowSeconds > 60) throw new UsageException($"--window: expected 0.05 to 60 seconds, got {windowSeconds}");
            var grid = (from m in List(parse.GetValue(models)!, "--models")
                        from b in List(parse.GetValue(batches)!, "--batches").Select(x => Int(x, "--batches"))
                        from p in List(parse.GetValue(processes)!, "--processes").Select(x => Int(x, "--processes"))
                        select (m, b, p)).ToList();
            foreach (var (m, _, _) in grid)
                if (!Sim.Calibration.Profiling.MeasuredRunner.Models.Contains(m)) throw new UsageException($"--models: unknown model '{m}'; expected one of {string.Join(", ", Sim.Calibration.Profiling.MeasuredRunner.Models)}");
            stdout.WriteLine($"profile: {profile.Hardware.CpuModel}, measured {profile.Created} ({profile.Clock} clock{(mismatch.Count == 0 ? ", matches this machine" : ", NOT this machine")}) from {dir}; {grid.Count} configurations x {its} iterations, in {windows} windows of at least {windowSeconds:0.###} s each, round-robin");
            stdout.WriteLine($"DDP cost per bucket and rank: {DescribeDdpCost(profile)}");
            var cases = Sim.Calibration.Validation.DdpValidation.Run(profile, set, grid, new Sim.Calibration.Profiling.MeasuredRunner(), its, out var speed,
                new Progress<string>(line => stderr.WriteLine("  " + line)), windows, windowSeconds, parse.GetValue(adjustSpeed));
            bool adjusted = parse.GetValue(adjustSpeed);
            // The machine's speed now against the profile's, measured by the speed reference beside the runs: an input, like the background load.
            stdout.WriteLine($"machine speed: factor {speed.Factor:F3} ({speed.Reason}); predicted_ms is " +
                             (adjusted ? "predicted_adjusted_ms, for the machine at this speed (--adjust-speed)" : "predicted_unadjusted_ms, at the profile's speed (--adjust-speed: at this speed)"));
            // predicted: the job on this machine's shared cores with the cores the other scheduling groups
            // used while it ran; dedicated: every worker on a core of its own, communication free of CPU
            // (for contrast); cpu: CPU seconds all workers spend per step, measured (process CPU clocks of
            // every rank during its steps) and simulated (compute, optimizer and all-reduce work).
            var table = new ReportTable("PyTorch DDP over gloo: measured vs simulated (median iteration)",
                ["model", "batch", "processes", "steps", "background_cores", "job_cores", "measured_ms", "predicted_ms", "error_%", "dedicated_ms", "dedicated_error_%",
                 "step_cpu_ms", "model_cpu_ms", "windows", "window_min_ms", "window_max_ms", "predicted_unadjusted_ms", "unadjusted_error_%", "predicted_adjusted_ms", "adjusted_error_%", "speed_factor", "speed_wall_ratio",
                 "predicted_compute_only_ms", "compute_only_error_%", "model_cpu_compute_only_ms"],
                cases.Select(c => (IReadOnlyList<object?>)new object?[]
                {
                    c.Model, c.Batch, c.Processes, c.MeasuredSteps, Sim.Calibration.Validation.DdpValidation.DescribeLoad(c.BackgroundCores ?? []), c.JobCores,
                    c.MeasuredSeconds * 1e3, c.PredictedSeconds * 1e3, 100 * c.RelativeError,
                    c.DedicatedSeconds * 1e3, 100 * (c.DedicatedSeconds - c.MeasuredSeconds) / c.MeasuredSeconds,
                    c.StepCpuSeconds * 1e3, c.ModelCpuSeconds * 1e3, c.WindowMedians?.Count ?? 1, c.WindowRange.Min * 1e3, c.WindowRange.Max * 1e3,
                    c.UnadjustedSeconds * 1e3, 100 * c.UnadjustedRelativeError, c.AdjustedSeconds * 1e3, 100 * c.AdjustedRelativeError, c.SpeedFactor, speed.WallFactor,
                    c.ComputeOnlySeconds * 1e3, 100 * c.ComputeOnlyRelativeError, c.ComputeOnlyModelCpuSeconds * 1e3,
                }).ToList());
            stdout.WriteLine(TerminalTable.ToPlainText(table, 200));
            stdout.WriteLine(cases.All(c => c.BackgroundDuringRun)
                ? "background_cores: cores each other scheduling group used during the measured iterations; job_cores: the run's own processes; step_cpu_ms: CPU of all ranks per step; " +
                  "measured_ms: median over the windows' median steps; window_min_ms/window_max_ms: the fastest and slowest window (the machine's noise)"
                : "background_cores: other groups' CPU demand measured around the run (the profiler script is older than sim-steplog v3)");
            double mape = Sim.Calibration.Validation.DdpValidation.Mape(cases);
            double unadjustedMape = Sim.Calibration.Validation.DdpValidation.UnadjustedMape(cases);
            stdout.WriteLine($"mean absolute percentage error: {100 * mape:F1}% over {cases.Count} configurations " +
                             $"(at the profile's speed, unadjusted: {100 * unadjustedMape:F1}%; at the machine's speed, adjusted: {100 * Sim.Calibration.Validation.DdpValidation.AdjustedMape(cases):F1}%; factor on the compute terms only: " +
                             $"{100 * Sim.Calibration.Validation.DdpValidation.ComputeOnlyMape(cases):F1}%; speed factor {speed.Factor:F3}, wall ratio {speed.WallFactor:F3})");
            foreach (var group in cases.GroupBy(c => c.Processes).OrderBy(g => g.Key))
            {
                var list = group.ToList();
                double dedicatedMape = list.Average(c => Math.Abs(c.DedicatedSeconds / c.MeasuredSeconds - 1));
                stdout.WriteLine($"  {group.Key} process{(group.Key == 1 ? "" : "es")}: {100 * Sim.Calibration.Validation.DdpValidation.Mape(list):F1}% " +
                                 $"(unadjusted {100 * Sim.Calibration.Validation.DdpValidation.UnadjustedMape(list):F1}%, adjusted {100 * Sim.Calibration.Validation.DdpValidation.AdjustedMape(list):F1}%, compute only " +
                                 $"{100 * Sim.Calibration.Validation.DdpValidation.ComputeOnlyMape(list):F1}%, dedicated {100 * dedicatedMape:F1}%)");
            }
            // The work alone, apart from the cores the job got: on a loaded machine the wall-clock error is mostly
            // the share of the cores, and this line says whether the modelled terms add up to what the ranks spent.
            if (Sim.Calibration.Validation.DdpValidation.WorkMape(cases) is double work)
                stdout.WriteLine($"CPU work per iteration, all ranks (model_cpu_ms against step_cpu_ms): {100 * work:F1}% mean absolute error; " +
                    string.Join(", ", cases.GroupBy(c => c.Processes).OrderBy(g => g.Key).Select(g =>
                        $"{g.Key} process{(g.Key == 1 ? "" : "es")} {100 * Sim.Calibration.Validation.DdpValidation.WorkMape(g.ToList()):F1}%")) +
                    $"; at the machine's speed (model_cpu_ms x speed_factor) {100 * Sim.Calibration.Validation.DdpValidation.WorkMape(cases, atSpeed: true):F1}%, " +
                    string.Join(", ", cases.GroupBy(c => c.Processes).OrderBy(g => g.Key).Select(g =>
                        $"{g.Key} process{(g.Key == 1 ? "" : "es")} {100 * Sim.Calibration.Validation.DdpValidation.WorkMape(g.ToList(), atSpeed: true):F1}%")));
            string output = parse.GetValue(outDir)?.FullName ?? Path.Combine("results", "validate-ddp");
            Directory.CreateDirectory(output);
            CsvTableWriter.Write(Path.Combine(output, "validation.csv"), table);
            var labels = cases.Select(c => $"{c.Model} b{c.Batch} x{c.Processes}").ToArray();
            var report = new Sim.Reports.Html.ReportModel { Title = "DDP validation on this machine", Subtitle = $"{profile.Hardware.CpuModel}; MAPE {100 * mape:F1}%" };
            report.Figures.Add(Sim.Reports.Figures.Charts.Scaling("Median iteration time: measured and predicted",
                [new Sim.Reports.Figures.Series("measured", Enumerable.Range(0, cases.Count).Select(i => (double)i).ToArray(), cases.Select(c => c.MeasuredSeconds * 1e3).ToArray()),
                 new Sim.Reports.Figures.Series("predicted", Enumerable.Range(0, cases.Count).Select(i => (double)i).ToArray(), cases.Select(c => c.PredictedSeconds * 1e3).ToArray())],
                "configuration (" + string.Join(", ", labels.Select((l, i) => $"{i}: {l}")) + ")", "ms"));
            report.Tables.Add(table);
            Sim.Reports.Html.HtmlReport.Write(Path.Combine(output, "report.html"), report);
            stdout.WriteLine($"results: {Path.GetFullPath(output)}");
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>PyTorch measurements of this machine's CPU: the committed traces/ folders first, then earlier
    /// automatic calibrations under results/calibration/; when neither has one, profiles this machine now
    /// (kernels, model steps, gloo) with the PyTorch backend, which is the library the DDP runs use.</summary>
    private static string MeasurementsForThisMachine(Sim.Calibration.Traces.HardwareDescription here, TextWriter stderr, string grid)
    {
        string root = RepositoryRoot();
        string calibrations = Path.Combine(root, "results", "calibration");
        string dir = Path.Combine(calibrations, Sim.Calibration.Profiles.HardwareIdentity.Slug(here.CpuModel));
        if (Sim.Calibration.Profiles.MatchingMeasurements.Find([Path.Combine(root, "traces"), calibrations], here, "pytorch") is { } found)
        {
            // Measurements from before the DDP step benchmark with its solo step (sim-measurements v1 to v4) lack measured
            // terms of DDP on a shared host; they are re-measured rather than silently validated without them.
            // Steps measured before v6 ran with glibc's adaptive thresholds, the runs pin them (sim_profile.py, where the C
            // library is glibc; the same script measured both, so a v6 file records the same choice as the runs make here).
            var set = Sim.Calibration.Traces.MeasurementSetReader.Read(Path.Combine(found, "measurements.json"));
            if (set.DdpStepRows.Any(r => r.SoloWallSeconds is not null) && set.Allocator is not null)
                return found;
            stderr.WriteLine($"{found} matches this machine but predates the DDP step benchmark's solo step or the pinned allocator (sim-measurements v{Sim.Calibration.Traces.MeasurementSetReader.CurrentVersion} has both)");
        }
        stderr.WriteLine($"no PyTorch measurements of this machine ({here.CpuModel}, {here.Cores} logical CPUs) under traces/ or results/calibration/: " +
                         $"calibrating it first into {dir} (`sim calibrate profile --backend pytorch --grid {grid}`, a minute or two)");
        if (Array.IndexOf(Sim.Calibration.Profiling.ProfileRequest.Grids, grid) < 0)
            throw new UsageException($"--calibrate-grid: expected one of {string.Join(", ", Sim.Calibration.Profiling.ProfileRequest.Grids)}, got '{grid}'");
        var request = new Sim.Calibration.Profiling.ProfileRequest("cpu", dir, Threads: 1, Grid: grid);
        new Sim.Calibration.Profiling.PyTorchProfilerBackend().Profile(request);
        return dir;
    }

    /// <summary>Which measured cost the simulated DDP charges per bucket, and its line.</summary>
    private static string DescribeDdpCost(Sim.Calibration.Profiles.CalibrationProfile profile)
    {
        var gloo = profile.Links.FirstOrDefault(l => l.Backend == "gloo" && l.Collective == "all_reduce");
        if (gloo?.HostCpuPerDdpBucket is not { } cost) return "none (the profile's gloo link has no CPU cost)";
        string source = gloo.HostCpuOfDdpStep is not null ? "real DDP steps of synthetic models (profile v4)"
            : gloo.HostCpuInDdp is not null ? "gloo in DDP's pattern (profile v3: no reducer copies or hooks; re-profile for the DDP step cost)"
            : "isolated all-reduces (profile v2; re-profile for the DDP step cost)";
        string shared = gloo.DdpStepWall is { } wall
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"; wall per bucket at least {wall.Line.AlphaSeconds * 1e6:F0} us + {wall.Line.BetaSecondsPerByte * 1e9:F3} ns/B, co-run compute factor {gloo.CoRunComputeFactor ?? 1:F3} (convolutions {gloo.ConvCoRunComputeFactor ?? gloo.CoRunComputeFactor ?? 1:F3}) (profile v5)")
            : "; no wall floor or co-run factor (profile older than v5)";
        // DDP's buffer broadcast before each forward (models with BatchNorm): which measurement prices it
        string buffers = Sim.Calibration.Fitting.BufferBroadcastCost.FromGloo(profile.Links, 2, 1, 1)?.Source ?? "none";
        if (gloo.DdpBufferBroadcast is { } inLoop)
            buffers += string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $", {inLoop.SecondsPerCall * 1e6:F1} us + {inLoop.SecondsPerTensor * 1e6:F2} us per buffer tensor CPU per rank");
        if (gloo.DdpBufferBroadcastWall is { } inLoopWall)
            buffers += string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $", wall at least {inLoopWall.SecondsPerCall * 1e6:F1} us + {inLoopWall.SecondsPerTensor * 1e6:F2} us per buffer tensor (profile v8)");
        // profile v6: DDP per parameter tensor, and a single process's buffer sync
        string tensors = gloo.DdpCpuPerTensor is null && gloo.DdpAloneCpuPerTensor is null && gloo.DdpAloneBufferSync is null
            ? "; nothing per parameter tensor (profile older than v6)"
            : string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"; per parameter tensor {(gloo.DdpCpuPerTensor ?? 0) * 1e6:F1} us (one process {(gloo.DdpAloneCpuPerTensor ?? 0) * 1e6:F1} us), one process's buffer sync {(gloo.DdpAloneBufferSync?.SecondsPerCall ?? 0) * 1e6:F1} us + {(gloo.DdpAloneBufferSync?.SecondsPerTensor ?? 0) * 1e6:F2} us per buffer tensor (profile v6)");
        return string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{cost.Line.AlphaSeconds * 1e6:F0} us + {cost.Line.BetaSecondsPerByte * 1e9:F3} ns/B CPU, from {source}{shared}; buffer broadcast before each forward: {buffers}{tensors}");
    }

    private static string[] List(string text, string option)
    {
        var items = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return items.Length > 0 ? items : throw new UsageException($"{option}: expected a comma-separated list, got '{text}'");
    }

    private static int Int(string text, string option) =>
        int.TryParse(text, out int v) && v >= 1 ? v : throw new UsageException($"{option}: expected whole numbers >= 1, got '{text}'");

    /// <summary>The repository root (for the committed traces), found from the working directory or the program's folder.</summary>
    private static string RepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
            for (var d = new DirectoryInfo(start); d is not null; d = d.Parent)
                if (File.Exists(Path.Combine(d.FullName, "Sim.sln"))) return d.FullName;
        throw new DirectoryNotFoundException("could not find the repository (Sim.sln) to locate traces/; pass --measurements");
    }

    public static Command Create()
    {
        var validate = new Command("validate", "Compare predictions with measurements of real systems");
        var output = new Option<FileInfo?>("--csv") { Description = "Also write the table as CSV." };
        var published = new Command("published", "Simulate configurations whose performance was published and print the error of each");
        published.Options.Add(output);
        published.SetAction(parse => CommandGuard.Run(parse, () =>
        {
            var rows = PublishedValidation.Run();
            var table = new ReportTable("Published measurements vs simulation", ["configuration", "metric", "measured", "predicted", "error %", "compute/exposed/bubble %", "source"],
                rows.Select(r => (IReadOnlyList<object?>)new object?[] { r.Name, r.Metric, r.Measured, r.Predicted, 100 * r.RelativeError, r.Split?.ToString() ?? "", r.Source }).ToList());
            var stdout = parse.InvocationConfiguration.Output;
            stdout.WriteLine(TerminalTable.ToPlainText(table, 200));
            foreach (var (source, count, mape) in PublishedValidation.MapeBySource(rows))
                stdout.WriteLine($"  {source}: {100 * mape:F1}% over {count}");
            stdout.WriteLine($"mean absolute percentage error: {100 * PublishedValidation.Mape(rows):F1}% over {rows.Count} configurations from {PublishedValidation.MapeBySource(rows).Count} sources (hfu and mfu rows are compared as utilisation, so say which)");
            if (parse.GetValue(output) is { } csv) CsvTableWriter.Write(csv.FullName, table);
            return ExitCodes.Success;
        }));
        validate.Subcommands.Add(published);
        validate.Subcommands.Add(CreateDdp());
        return validate;
    }
}
