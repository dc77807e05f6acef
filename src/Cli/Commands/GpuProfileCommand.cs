using System.CommandLine;
using System.Globalization;
using Sim.Calibration.Profiling;

namespace Sim.Cli.Commands;

/// <summary>
/// `sim calibrate gpu-profile --device cuda|cpu --out DIR [--repeats N] [--soak-seconds S]`: runs the shipped
/// profiler/gpu_kernels.py with the Python that has torch (see <see cref="PythonTorch"/>; $SIM_PYTHON
/// picks one), writing DIR/gpu-measurements.json and a Kineto trace for `sim calibrate gpu-fit`.
/// `--device cpu` is the format check (CPU figures, said so). `--soak-seconds` is how long one GEMM runs
/// back to back before its sustained timing (the sustained clock fraction). An unknown device, a bad
/// repeat count or soak time exits 2; a missing torch or CUDA, or a script that fails, exits 1 with the script's message.
/// </summary>
public static class GpuProfileCommand
{
    /// <summary>Longest the script may run: the full CUDA grid takes a few minutes on an H100.</summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(30);

    public static Command Create()
    {
        var device = new Option<string>("--device") { Description = "cuda (the GPU measurement) or cpu (a tiny format check with CPU figures)", DefaultValueFactory = _ => "cuda" };
        var output = new Option<string>("--out") { Description = "Directory for gpu-measurements.json and trace-block-step.json", Required = true };
        var repeats = new Option<int>("--repeats") { Description = "Timed repeats per point, median kept (0 = 20 on cuda, 3 on cpu)", DefaultValueFactory = _ => 0 };
        var soak = new Option<double>("--soak-seconds") { Description = "Seconds of back-to-back GEMMs before the sustained timing (0 = 60 on cuda, 0.5 on cpu)", DefaultValueFactory = _ => 0 };
        var command = new Command("gpu-profile", "Measure GEMMs, attention, memory-bound kernels, launch overhead and a transformer block on a GPU (PyTorch 2.x)");
        foreach (var o in new Option[] { device, output, repeats, soak }) command.Options.Add(o);
        command.SetAction(parse => CommandGuard.Run(parse, () =>
        {
            var stdout = parse.InvocationConfiguration.Output ?? Console.Out;
            string dev = parse.GetValue(device)!;
            int n = parse.GetValue(repeats);
            if (dev is not ("cuda" or "cpu")) throw new UsageException($"--device: expected cuda or cpu, got '{dev}'");
            if (n is < 0 or > 10_000) throw new UsageException($"--repeats: expected 0 to 10000, got {n}");
            double soakSeconds = parse.GetValue(soak);
            if (!(soakSeconds is >= 0 and <= 3600)) throw new UsageException($"--soak-seconds: expected 0 to 3600, got {soakSeconds.ToString(CultureInfo.InvariantCulture)}");
            string script = Path.Combine(AppContext.BaseDirectory, "profiler", "gpu_kernels.py");
            if (!File.Exists(script)) throw new ProfilerUnavailableException($"the GPU profiler script is missing: expected it at {script} (the build of Sim.Calibration copies it there)");
            var python = PythonTorch.Locate();
            var run = ProcessRunner.Run(python.Interpreter,
                [script, "--device", dev, "--out", parse.GetValue(output)!, "--repeats", n.ToString(CultureInfo.InvariantCulture),
                 "--soak-seconds", soakSeconds.ToString("R", CultureInfo.InvariantCulture)], Timeout);
            if (run.TimedOut) throw new ProfilerUnavailableException($"{script} ran longer than {Timeout.TotalMinutes} minutes and was stopped");
            if (run.ExitCode != 0) throw new ProfilerUnavailableException($"{script} failed (exit {run.ExitCode}): {run.StandardError.Trim()}");
            stdout.Write(run.StandardOutput);
            return ExitCodes.Success;
        }));
        return command;
    }
}
