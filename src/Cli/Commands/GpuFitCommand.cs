using System.CommandLine;
using System.Globalization;
using Sim.Calibration.Gpu;
using Sim.Scenarios.Hardware;

namespace Sim.Cli.Commands;

/// <summary>
/// `sim calibrate gpu-fit DIR --hardware dgx-h100|FILE.yaml --out FILE.yaml`: fits the kernel figures of
/// a GPU from DIR/gpu-measurements.json (written by profiler/gpu_kernels.py) and writes the base hardware
/// file with its kernels block replaced, a custom machine file scenarios name with <c>cluster.hardware</c>.
/// Prints the fitted figures and the held-out check (held-out GEMM shapes and the transformer-block step
/// predicted vs measured). Bad measurement or hardware files exit 2 with file, location and key path; the
/// output is written whole (after re-reading it as a hardware file) or not at all.
/// </summary>
public static class GpuFitCommand
{
    /// <summary>The measurement file's name inside the directory the profiler writes.</summary>
    public const string MeasurementsFile = "gpu-measurements.json";

    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "Directory written by profiler/gpu_kernels.py (gpu-measurements.json, Kineto trace)" };
        var hardware = new Option<string>("--hardware") { Description = "Base machine: a shipped preset name (e.g. dgx-h100) or a hardware YAML file", DefaultValueFactory = _ => "dgx-h100" };
        var output = new Option<string>("--out") { Description = "Hardware YAML file to write", Required = true };
        var command = new Command("gpu-fit", "Fit GEMM, memory, attention and launch figures from GPU kernel measurements into a hardware file");
        command.Arguments.Add(dir);
        command.Options.Add(hardware);
        command.Options.Add(output);
        command.SetAction(parse => CommandGuard.Run(parse, () =>
        {
            var stdout = parse.InvocationConfiguration.Output ?? Console.Out;
            var stderr = parse.InvocationConfiguration.Error ?? Console.Error;
            string measurementPath = Path.Combine(parse.GetValue(dir)!, MeasurementsFile);
            string outPath = parse.GetValue(output)!;
            var (baseName, baseYaml) = BaseHardware(parse.GetValue(hardware)!);
            var node = HardwareFile.Parse(baseYaml, baseName);
            var set = GpuMeasurementReader.Read(measurementPath);
            GpuKernelFit fit;
            try { fit = GpuKernelFitter.Fit(set, node.Device); }
            catch (ArgumentException e) { stderr.WriteLine($"error: {measurementPath}: cannot fit against {node.Name}: {e.Message}"); return ExitCodes.BadInput; }
            string yaml = HardwareYamlKernels.Replace(baseYaml, fit.Facts, Path.GetFileName(measurementPath), set.Date, fit.SustainedClockMeasured);
            HardwareFile.Parse(yaml, outPath); // what is written must load as a hardware file
            File.WriteAllText(outPath, yaml);
            Report(stdout, set, fit, node.Name, outPath);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>The base file's name and text: a file path when one exists, else a shipped preset's embedded file.</summary>
    private static (string Name, string Yaml) BaseHardware(string hardware)
    {
        if (File.Exists(hardware)) return (hardware, File.ReadAllText(hardware));
        var node = HardwarePresets.Node(hardware, "--hardware"); // unknown names: a SpecError listing the presets
        using var stream = typeof(HardwarePresets).Assembly.GetManifestResourceStream($"Sim.Hardware.{node.Name}.yaml")
            ?? throw new InvalidOperationException($"preset {node.Name} has no embedded file");
        using var reader = new StreamReader(stream);
        return ($"hardware/{node.Name}.yaml", reader.ReadToEnd());
    }

    private static void Report(TextWriter w, GpuMeasurementSet set, GpuKernelFit fit, string baseName, string outPath)
    {
        var inv = CultureInfo.InvariantCulture;
        var f = fit.Facts;
        foreach (var warning in fit.Warnings) w.WriteLine($"warning: {warning}");
        w.WriteLine($"measured: {set.DeviceName} ({set.DeviceKind}, {set.StreamingMultiprocessors} SMs, torch {set.TorchVersion}, CUDA {set.CudaVersion}, {set.DataType}, {set.Date})");
        w.WriteLine(string.Create(inv, $"fitted against {baseName}: gemm_efficiency {f.GemmEfficiency:F4}, memory_efficiency {f.MemoryEfficiency:F4}, attention {f.AttentionForwardEfficiency:F4} forward / {f.AttentionBackwardEfficiency:F4} backward, kernel overhead {f.KernelOverheadSeconds * 1e6:F2} us, sustained clock fraction {f.SustainedClockFraction:F4}{(fit.SustainedClockMeasured ? "" : " (kept from the base file)")}"));
        if (set.Soak is { } soak)
            w.WriteLine(string.Create(inv, $"soak: {soak.M}x{soak.N}x{soak.K} GEMM {soak.BurstSeconds * 1e3:F3} ms in a burst, {soak.SustainedSeconds * 1e3:F3} ms after {soak.SoakSeconds:G3} s of load{(soak.BurstClockMhz is { } burstMhz && soak.SustainedClockMhz is { } sustainedMhz ? $" (SM clock {burstMhz:F0} -> {sustainedMhz:F0} MHz)" : "")}"));
        foreach (var p in fit.HeldOutGemms)
            w.WriteLine(string.Create(inv, $"held-out {p.Name}: predicted {p.PredictedSeconds * 1e6:F1} us, measured {p.MeasuredSeconds * 1e6:F1} us ({100 * p.RelativeError:+0.0;-0.0}%)"));
        if (fit.HeldOutGemms.Count > 0)
            w.WriteLine(string.Create(inv, $"held-out check: GEMM median error {fit.HeldOutGemmMedianError:P1} over {fit.HeldOutGemms.Count} shapes"));
        var b = fit.BlockStep;
        w.WriteLine(string.Create(inv, $"held-out check: {b.Name} predicted {b.PredictedSeconds * 1e3:F3} ms, measured {b.MeasuredSeconds * 1e3:F3} ms ({100 * b.RelativeError:+0.0;-0.0}%)"));
        w.WriteLine($"hardware file: {outPath} (use it with cluster.hardware)");
    }
}
