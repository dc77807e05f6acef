using Sim.Calibration.Tests;

namespace Sim.Cli.Tests;

/// <summary>
/// `sim validate ddp` end to end on this machine with the real PyTorch: DDP over gloo measured, the
/// same configurations simulated with the profile fitted from this machine kind's committed traces.
/// Every configuration's error is reported; the test bounds the mean absolute percentage error of the
/// wall time and of the CPU work at what this shared VM's noise allows (see the bound's comment and
/// docs/calibration.md, "Validation"), far above the issue's targets, which only a quiet machine can show.
/// </summary>
[Collection(TimingSensitiveCollection.Name)]
public sealed class DdpValidationTests(Xunit.Abstractions.ITestOutputHelper log) : IDisposable
{
    private readonly string _out = Directory.CreateTempSubdirectory("sim-validate-").FullName;

    public void Dispose() => Directory.Delete(_out, recursive: true);

    [TorchFact]
    public void ValidateDdpMeasuresSimulatesAndReportsTheError()
    {
        TorchEnvironment.Require();
        var (code, output, error) = SimCommandLine.Invoke("validate", "ddp", "--models", "mlp,cnn", "--batches", "8,32", "--processes", "1,2",
            "--iterations", "15", "--out", _out);
        log.WriteLine(output);
        Assert.True(code == 0, error);
        var lines = File.ReadAllLines(Path.Combine(_out, "validation.csv"));
        var column = lines[0].Split(',').Select((name, i) => (name, i)).ToDictionary(x => x.name, x => x.i);
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.Equal(8, rows.Count);
        Assert.True(File.Exists(Path.Combine(_out, "report.html")));
        double Number(string[] row, string name) => double.Parse(row[column[name]], System.Globalization.CultureInfo.InvariantCulture);
        var errors = new List<double>();
        var singleProcessErrors = new List<double>();
        foreach (var r in rows)
        {
            double measured = Number(r, "measured_ms"), predicted = Number(r, "predicted_ms"), dedicated = Number(r, "dedicated_ms");
            Assert.True(measured > 0 && predicted > 0 && dedicated > 0);
            // The reported errors are the measured and predicted times' (nothing else goes into them).
            Assert.Equal(100 * (predicted / measured - 1), Number(r, "error_%"), 1e-6);
            Assert.Equal(100 * (dedicated / measured - 1), Number(r, "dedicated_error_%"), 1e-6);
            errors.Add(Math.Abs(predicted / measured - 1));
            // A broken pipeline (units, a profile not applied) is off by far more than this VM's noise,
            // which moves single measured steps by up to 2.5x between minutes (docs/calibration.md).
            Assert.InRange(predicted / measured, 0.2, 5);
            // The other groups' cores are measured during the run ("0" or cores joined by '+'), and so
            // are the job's own cores and CPU per iteration.
            Assert.Matches(@"^(0|\d+\.\d\d(\+\d+\.\d\d)*)$", r[column["background_cores"]]);
            Assert.InRange(Number(r, "job_cores"), 0.05, Environment.ProcessorCount * 1.05);
            Assert.True(Number(r, "step_cpu_ms") > 0 && Number(r, "model_cpu_ms") > 0);
            Assert.InRange(Number(r, "steps"), 15, 1e6);
            // Measured in five short windows taken round-robin (the default): the figure is the median of the windows'
            // medians, so it lies between the fastest and the slowest window.
            Assert.Equal(5, Number(r, "windows"));
            Assert.InRange(measured, Number(r, "window_min_ms"), Number(r, "window_max_ms"));
            if (r[column["processes"]] == "1") singleProcessErrors.Add(Math.Abs(dedicated / measured - 1));
            // Without --adjust-speed the prediction is the one at the profile's speed; the speed-adjusted one is the factor times it
            // (every simulated duration scales alike); measurements without a speed reference (sim-measurements v9) give factor 1.
            double factor = Number(r, "speed_factor");
            Assert.Equal(predicted, Number(r, "predicted_unadjusted_ms"), 1e-9);
            Assert.Equal(factor, Number(r, "predicted_adjusted_ms") / predicted, 1e-6);
            if (factor == 1) Assert.Equal(predicted, Number(r, "predicted_compute_only_ms"), 1e-9);
        }
        Assert.Contains("used during the measured iterations", output);
        // the speed reference ran beside the runs (without one in the measurements the output says the factor is 1 and why)
        Assert.Matches(@"machine speed: factor \d\.\d{3} \((the measurements have no speed reference|speed reference \d+\.\d{3} ms per unit now)", output);
        // The printed mean absolute percentage error is the table's, whatever it is (the issue asks for
        // it to be reported honestly; its size on this shared VM is in docs/calibration.md).
        var printed = System.Text.RegularExpressions.Regex.Match(output, @"mean absolute percentage error: (\d+\.\d)% over 8 configurations");
        Assert.True(printed.Success, output);
        Assert.Equal(100 * errors.Average(), double.Parse(printed.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0.051);
        // The work line: the simulated job's CPU per iteration against the ranks' measured CPU, the table's own
        // figures; and the DDP cost the simulated job was charged, from real DDP steps of synthetic models
        // (the committed profile and any fresh calibration are sim-measurements v6: with the wall floor and the co-run factor of v5).
        var work = System.Text.RegularExpressions.Regex.Match(output, @"CPU work per iteration, all ranks \(model_cpu_ms against step_cpu_ms\): (\d+\.\d)% mean absolute error");
        Assert.True(work.Success, output);
        Assert.Equal(100 * rows.Average(r => Math.Abs(Number(r, "model_cpu_ms") / Number(r, "step_cpu_ms") - 1)),
            double.Parse(work.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 0.06);
        Assert.Contains("DDP cost per bucket and rank: ", output);
        Assert.Contains("from real DDP steps of synthetic models (profile v4); wall per bucket at least ", output);
        Assert.Contains("(profile v5)", output);
        // and (v6, the committed profile) DDP's cost per parameter tensor and a single process's buffer sync
        Assert.Contains("per parameter tensor ", output);
        Assert.Contains("us per buffer tensor (profile v6)", output);
        // The bound this VM allows. On the shared 2-vCPU VM the other engineers' builds take 0.5-1.9 of the 2 cores at
        // load average 10-40, and a configuration's measured step moves by up to 2.5x between runs minutes apart. Measured
        // on these 8 configurations (2026-12-07, profile v5): at load 14-31, six runs gave 37-43% wall and 19-36% CPU-work
        // error (this test itself at load 25: 27.5% and 11.9%); on the idle machine (all 12 configurations, profile v4)
        // 20.8% and 21.2%. A bound at about 1.7 to 1.9 times the worst seen fails on a broken pipeline (units, a term
        // dropped or charged twice, a profile not applied), not on the VM's weather; a regression of a few percent is
        // below what this machine can resolve.
        Assert.True(errors.Average() <= 0.80, $"wall-time MAPE {errors.Average():P1} above the 80% this VM's noise allows");
        double workMape = rows.Average(r => Math.Abs(Number(r, "model_cpu_ms") / Number(r, "step_cpu_ms") - 1));
        Assert.True(workMape <= 0.60, $"CPU-work MAPE {workMape:P1} above the 60% this VM's noise allows");
        singleProcessErrors.Sort();
        log.WriteLine($"single-process median absolute error {(singleProcessErrors[1] + singleProcessErrors[2]) / 2:P1}");
    }
}
