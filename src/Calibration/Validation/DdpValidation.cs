using Sim.Calibration.Fitting;
using Sim.Calibration.Profiles;
using Sim.Calibration.Profiling;
using Sim.Calibration.Traces;
using Sim.Core;
using Sim.Core.Randomness;
using Sim.Models.Compute;
using Sim.Models.Faults;
using Sim.Models.Training;
using Sim.Models.Workloads;

namespace Sim.Calibration.Validation;

/// <summary>One configuration measured for real and simulated with the fitted profile: on the shared
/// CPU host (<see cref="PredictedSeconds"/>) and, for contrast, with every worker on a device of its
/// own (<see cref="DedicatedSeconds"/>); <see cref="BackgroundCores"/> is the cores each other
/// scheduling group used (during the measured iterations when <see cref="BackgroundDuringRun"/>).
/// <see cref="StepCpuSeconds"/> (measured: all ranks' processes during their steps) and
/// <see cref="ModelCpuSeconds"/> (the simulated job's work) are the CPU seconds all workers spend per
/// iteration: they separate an error in the work from an error in the cores the job got. <see cref="WindowMedians"/>:
/// the median step of each short measurement window (<see cref="MeasuredSeconds"/> is their median), whose spread says
/// how much the machine moved the measurement. <see cref="UnadjustedSeconds"/> is the prediction at the profile's speed,
/// <see cref="AdjustedSeconds"/> for the machine at the speed the reference measured beside the runs (<see cref="SpeedFactor"/>,
/// <see cref="MachineSpeed"/>), and <see cref="PredictedSeconds"/> the one adopted (the unadjusted one unless asked; see
/// docs/calibration.md, "The machine's speed as an input", for why).</summary>
public sealed record DdpValidationCase(string Model, int Batch, int Processes, double MeasuredSeconds, double PredictedSeconds, int MeasuredSteps,
    double DedicatedSeconds = double.NaN, IReadOnlyList<double>? BackgroundCores = null, bool BackgroundDuringRun = false,
    double JobCores = double.NaN, double SessionCores = double.NaN, double StepCpuSeconds = double.NaN, double ModelCpuSeconds = double.NaN,
    IReadOnlyList<double>? WindowMedians = null, double UnadjustedSeconds = double.NaN, double SpeedFactor = 1,
    double ComputeOnlySeconds = double.NaN, double ComputeOnlyModelCpuSeconds = double.NaN, double AdjustedSeconds = double.NaN)
{
    /// <summary>(speed-adjusted prediction - measured) / measured.</summary>
    public double AdjustedRelativeError => ErrorOf(AdjustedSeconds);

    /// <summary>(prediction with the factor on the compute terms only - measured) / measured: the alternative that leaves DDP's
    /// communication terms at the profile's speed (reported, not adopted).</summary>
    public double ComputeOnlyRelativeError => ErrorOf(ComputeOnlySeconds);

    /// <summary>(unadjusted prediction - measured) / measured: the error at the profile's speed.</summary>
    public double UnadjustedRelativeError => ErrorOf(UnadjustedSeconds);

    /// <summary>The fastest and slowest window's median step (NaN without windows).</summary>
    public (double Min, double Max) WindowRange => WindowMedians is { Count: > 0 } w ? (w.Min(), w.Max()) : (double.NaN, double.NaN);

    /// <summary>(predicted - measured) / measured.</summary>
    public double RelativeError => ErrorOf(PredictedSeconds);

    /// <summary>(<paramref name="predictedSeconds"/> - measured) / measured: every prediction variant's error.</summary>
    private double ErrorOf(double predictedSeconds) => (predictedSeconds - MeasuredSeconds) / MeasuredSeconds;

    /// <summary>Total background in cores.</summary>
    public double BackgroundTotal => BackgroundCores?.Sum() ?? 0;
}

/// <summary>
/// The proof of the pudding: real PyTorch DDP training over gloo on this machine (one compute thread
/// per process), against the simulator with the calibrated profile. The simulated job is built from
/// the profile alone: the model's layers as profiled, the step time from the fitted step-time curve
/// at the batch size (split over layers in the measured proportions), DDP's bucketing, the fitted
/// jitter, and the fitted gloo all-reduce. On this machine the workers are processes sharing the
/// host's cores, and gloo's loopback all-reduce is CPU work (memcpy and reduction through the kernel's
/// TCP stack) on the same cores, so the prediction runs the job on a <see cref="SharedCpuHost"/>
/// (<see cref="CpuHostDataParallel"/>) with the profiled per-rank CPU cost of the all-reduce and the
/// cores the other scheduling groups used while the measured iterations ran. Medians are compared,
/// since both sides are noisy.
/// </summary>
public static class DdpValidation
{
    public static IReadOnlyList<(string Model, int Batch, int Processes)> DefaultGrid { get; } =
        (from m in MeasuredRunner.Models from b in new[] { 8, 32 } from p in new[] { 1, 2 } select (m, b, p)).ToArray();

    /// <summary>Measures every configuration of <paramref name="grid"/> (<see cref="MeasuredRunner.RunRounds"/>: <paramref name="rounds"/>
    /// short windows each, round-robin over the grid, at least <paramref name="iterations"/> steps in all) and predicts it. The speed
    /// reference runs as one more configuration of the round-robin (<see cref="MachineSpeed"/>; the overload with an out parameter
    /// returns it and can adopt the speed-adjusted predictions).</summary>
    public static IReadOnlyList<DdpValidationCase> Run(CalibrationProfile profile, MeasurementSet measurements,
        IEnumerable<(string Model, int Batch, int Processes)> grid, MeasuredRunner runner, int iterations, IProgress<string>? progress = null,
        int rounds = 5, double windowSeconds = 0.3) => Run(profile, measurements, grid, runner, iterations, out _, progress, rounds, windowSeconds);

    /// <inheritdoc cref="Run(CalibrationProfile, MeasurementSet, IEnumerable{ValueTuple{string, int, int}}, MeasuredRunner, int, IProgress{string}?, int, double)"/>
    public static IReadOnlyList<DdpValidationCase> Run(CalibrationProfile profile, MeasurementSet measurements,
        IEnumerable<(string Model, int Batch, int Processes)> grid, MeasuredRunner runner, int iterations, out MachineSpeed speed,
        IProgress<string>? progress = null, int rounds = 5, double windowSeconds = 0.3, bool adjustSpeed = false)
    {
        var configurations = grid.ToList();
        var (runs, reference) = runner.RunRoundsWithReference(configurations, rounds, windowSeconds, iterationsPerWindow: (iterations + rounds - 1) / rounds);
        speed = MachineSpeed.From(measurements.SpeedReference, reference);
        progress?.Report($"machine speed: factor {speed.Factor:F3} ({speed.Reason})");
        return PredictMeasured(profile, measurements, configurations, runs, iterations, speed.Factor, progress, adjustSpeed);
    }

    /// <summary>Predicts every measured run (in <paramref name="configurations"/> order) at the profile's speed, with every CPU term
    /// <paramref name="speedFactor"/> times slower (<see cref="PredictOnHost"/>), and with the compute terms alone slower; the case's
    /// prediction is the second with <paramref name="adjustSpeed"/>, else the first.</summary>
    public static IReadOnlyList<DdpValidationCase> PredictMeasured(CalibrationProfile profile, MeasurementSet measurements,
        IReadOnlyList<(string Model, int Batch, int Processes)> configurations, IReadOnlyList<MeasuredRun> runs, int iterations, double speedFactor,
        IProgress<string>? progress = null, bool adjustSpeed = false)
    {
        var cases = new List<DdpValidationCase>();
        foreach (var ((model, batch, procs), measured) in configurations.Zip(runs))
        {
            int simulated = Math.Max(iterations, 50);
            var job = HostJob(profile, measurements, model, batch, procs, measured.BackgroundCores, seed: 1, simulated);
            double unadjusted = Median(job.Run());
            double adjusted = speedFactor == 1 ? unadjusted
                : Median(HostJob(profile, measurements, model, batch, procs, measured.BackgroundCores, seed: 1, simulated, speedFactor).Run());
            var computeOnly = speedFactor == 1 ? job
                : HostJob(profile, measurements, model, batch, procs, measured.BackgroundCores, seed: 1, simulated, computeSpeedFactor: speedFactor);
            double computeOnlySeconds = speedFactor == 1 ? unadjusted : Median(computeOnly.Run());
            double predicted = adjustSpeed ? adjusted : unadjusted;
            double dedicated = Predict(profile, measurements, model, batch, procs, seed: 1, simulated);
            bool during = measured.Steps.Count > 0 && measured.Steps[0].BackgroundDuringRun;
            cases.Add(new DdpValidationCase(model, batch, procs, measured.MedianSeconds, predicted, measured.Steps.Count, dedicated, measured.BackgroundCores,
                during, measured.JobCores, measured.SessionCores, measured.StepCpuSeconds, job.CpuSecondsPerIteration, measured.WindowMedians,
                unadjusted, speedFactor, computeOnlySeconds, computeOnly.CpuSecondsPerIteration, adjusted));
            progress?.Report($"{model} batch {batch} x{procs}: measured {measured.MedianSeconds * 1e3:F3} ms " +
                $"(windows {measured.WindowMedians.Min() * 1e3:F3}-{measured.WindowMedians.Max() * 1e3:F3}), predicted {predicted * 1e3:F3} ms " +
                $"(at the profile's speed {unadjusted * 1e3:F3}, at the machine's {adjusted * 1e3:F3}) " +
                $"(background {DescribeLoad(measured.BackgroundCores)} cores {(during ? "during" : "around")} the run, job {measured.JobCores:F2} cores)");
        }
        return cases;
    }

    /// <summary>"0.98+0.12", or "0".</summary>
    public static string DescribeLoad(IReadOnlyList<double> groups) =>
        groups.Count == 0 ? "0" : string.Join("+", groups.Select(g => g.ToString("F2", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// The simulated median iteration time of DDP with <paramref name="processes"/> one-thread workers on
    /// this profile's host (<see cref="Traces.HardwareDescription.Cores"/> cores) shared with other
    /// scheduling groups using <paramref name="backgroundGroupCores"/> cores.
    /// </summary>
    /// <remarks>
    /// The host shares its cores by max-min fairness between scheduling groups (<see cref="SharedCpuHost"/>),
    /// with the other groups given as demands. The profiler measures what they <i>got</i> during the run,
    /// not what they wanted; fed as demands, the allocation is the same: under water-filling a group gets
    /// min(demand, level), so a group that got less than its demand got exactly the level, and giving it
    /// the level as its demand leaves every allocation (and the level) unchanged, while a group that got
    /// all it wanted is unchanged anyway. The job's demand varies within an iteration (both workers
    /// computing, one waiting for the other, all-reduce work); a group limited to the level while the
    /// job computed got more while the job waited, so its average over the window is at least the level
    /// and the host still gives it the level while the job computes. Where this breaks: a group that got
    /// more than the fair level while the job was runnable (CFS balances per-CPU run queues, and group
    /// weights are split over CPUs by each group's load on them, so fairness is approximate), which the
    /// model caps at the level; and bursts, which the window's average smooths.
    /// </remarks>
    /// <param name="speedFactor">How much slower the machine runs than when profiled (<see cref="MachineSpeed.Factor"/>): the host's
    /// cores do 1/<paramref name="speedFactor"/> of a profiled CPU second per second, and the wall-time floors of DDP's
    /// communication (all CPU work and wake-ups on the same cores here) take <paramref name="speedFactor"/> times longer.</param>
    public static double PredictOnHost(CalibrationProfile profile, MeasurementSet measurements, string model, int batch, int processes,
        IReadOnlyList<double> backgroundGroupCores, ulong seed, int iterations = 50, double speedFactor = 1) =>
        Median(HostJob(profile, measurements, model, batch, processes, backgroundGroupCores, seed, iterations, speedFactor).Run());

    /// <summary>The simulated job's CPU work per iteration over all workers (compute, optimizer and every DDP term, no jitter):
    /// what <see cref="DdpValidationCase.ModelCpuSeconds"/> reports.</summary>
    public static double ModelCpuSeconds(CalibrationProfile profile, MeasurementSet measurements, string model, int batch, int processes) =>
        HostJob(profile, measurements, model, batch, processes, [], seed: 1, iterations: 1).CpuSecondsPerIteration;

    /// <summary>The simulated job on the shared host, ready to run.</summary>
    private static HostJobRun HostJob(CalibrationProfile profile, MeasurementSet measurements, string model, int batch, int processes,
        IReadOnlyList<double> backgroundGroupCores, ulong seed, int iterations, double speedFactor = 1, double computeSpeedFactor = 1)
    {
        if (!(speedFactor > 0) || !double.IsFinite(speedFactor)) throw new ArgumentOutOfRangeException(nameof(speedFactor), speedFactor, "expected a finite factor > 0");
        // computeSpeedFactor: the alternative that slows the compute terms (layers, optimizer) alone, DDP's terms as profiled
        var (spec, compute, optimizer) = Workload(profile, measurements, model, batch, computeSpeedFactor);
        // What DDP costs a rank per bucket: measured on real DDP steps of synthetic models (profile v4:
        // reducer hooks, bucket copies and gloo's threads together), else gloo in DDP's pattern (v3), else
        // the isolated all-reduce (v2). It is charged as CPU work on the shared host beside the compute.
        var gloo = processes == 1 ? profile.Links.FirstOrDefault(l => l.Backend == "gloo" && l.Collective == "all_reduce") : Gloo(profile);
        var cpu = processes == 1 ? null : gloo!.HostCpuPerDdpBucket
            ?? throw new InvalidOperationException("the profile's gloo link has no CPU cost (fitted from sim-measurements v1); profile again with `sim calibrate profile`");
        // A single process pays DDP too (profile v5: measured with a world of one); older profiles charge it nothing.
        var alone = processes == 1 ? gloo?.HostCpuOfDdpStepAlone : null;
        // Profile v5 adds two measured terms of co-located ranks: the least wall time a bucket's all-reduce takes
        // (DDP step minus plain step on free cores) and the co-run compute factor; older profiles have neither.
        var wall = processes == 1 ? null : gloo?.DdpStepWall;
        // DDP broadcasts the model's buffers (BatchNorm statistics) before every forward; a world of one has nobody to send to.
        var broadcast = BufferBroadcastCost.FromGloo(profile.Links, processes, BufferBytes(measurements, model), BufferTensors(measurements, model))
            ?? BufferBroadcastCost.None;
        // DDP's terms per parameter and buffer tensor (profile v6), chosen as scenarios choose them
        var terms = GlooDdpTensorCosts.From(gloo, BufferTensors(measurements, model));
        var defaults = new DataParallelConfig { Model = spec, Workers = processes, MicroBatch = batch, Iterations = 1 };
        var buckets = new GradientBuckets(spec.Layers, defaults.GradientBytesPerParameter, defaults.BucketCapBytes, defaults.FirstBucketCapBytes);
        var forward = spec.Layers.Select(l => compute.LayerTime(l, Phase.Forward, batch)).ToArray();
        var backward = spec.Layers.Select(l => compute.LayerTime(l, Phase.Backward, batch)).ToArray();
        var sim = new Simulation(seed);
        var job = new CpuHostDataParallel(sim, new SharedCpuHost(sim, profile.Hardware.Cores, backgroundGroupCores, 1 / speedFactor), processes, iterations,
            forward, backward, buckets, optimizer, bytes => cpu!.Seconds(bytes), Jitter(profile),
            gloo?.CoRunComputeFactor ?? 1, wall is null ? null : bytes => wall.Seconds(bytes) * speedFactor, alone is null ? null : bytes => alone.Seconds(bytes),
            broadcast.CpuSeconds, broadcast.WallSeconds * speedFactor,
            // convolutions slow down more beside a busy process than the Linear stacks the factor above was measured on
            CoRunComputeFactors.PerLayer(spec.Layers, gloo?.CoRunComputeFactor ?? 1, gloo?.ConvCoRunComputeFactor ?? gloo?.CoRunComputeFactor ?? 1),
            // DDP's cost per parameter tensor (profile v6; measured tensor counts per layer, v6 measurements)
            LayerTensors(measurements, model) is { } tensors ? CpuHostDataParallel.TensorsPerBucket(buckets, tensors) : null,
            terms.CpuPerTensor(processes),
            // a single process syncs its buffers before every forward too (profile v6; measured buffer tensors, v6 measurements;
            // the job charges it only with one worker)
            terms.AloneBufferSyncCpuSeconds,
            // the share of it the compute thread does (profile v6; the rest runs beside it)
            terms.AloneComputeThreadShare,
            // what DDP costs a single process once per step (profile v9; older profiles: nothing)
            terms.AloneCpuPerStepSeconds);
        return new HostJobRun(sim, job);
    }

    private sealed record HostJobRun(Simulation Sim, CpuHostDataParallel Job)
    {
        public double CpuSecondsPerIteration => Job.CpuSecondsPerIteration;

        public IReadOnlyList<double> Run()
        {
            Job.Start();
            Sim.Run();
            return Job.IterationTimes;
        }
    }

    private static double Median(IReadOnlyList<double> values) => MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(values.ToArray());

    /// <summary>The simulated median iteration time of DDP with <paramref name="processes"/> workers, each on a
    /// device of its own, with the all-reduce on the fitted gloo wall-clock alpha-beta.</summary>
    public static double Predict(CalibrationProfile profile, MeasurementSet measurements, string model, int batch, int processes, ulong seed, int iterations = 50)
    {
        var (spec, compute, optimizer) = Workload(profile, measurements, model, batch);
        var gloo = Gloo(profile);
        var jitter = Jitter(profile);
        var config = new DataParallelConfig
        {
            Model = spec, Workers = processes, MicroBatch = batch, Iterations = iterations, GradientBytesPerParameter = 4,
            OptimizerSeconds = optimizer, GpusPerNode = processes,
            Stragglers = jitter is null ? StragglerModel.None : new StragglerModel { Jitter = jitter },
        };
        var result = SyncDataParallel.Simulate(config, compute, sim => new ClosedFormAllReduce(sim, processes, gloo.Cost.AlphaSeconds, gloo.Cost.BandwidthBytesPerSecond), seed);
        return result.P50;
    }

    private static LinkFit Gloo(CalibrationProfile profile) => profile.Links.FirstOrDefault(l => l.Backend == "gloo" && l.Collective == "all_reduce")
        ?? throw new InvalidOperationException("the profile has no gloo link fit; profile with the collective benchmark enabled");

    private static IDistribution? Jitter(CalibrationProfile profile) => profile.Jitter is { } j ? Distributions.Parse(j.Describe()) : null;

    /// <summary>Each profiled layer's parameter tensors (forward order, as <see cref="Workload"/> lays them out); null when the
    /// measurements do not record them (before sim-measurements v6).</summary>
    public static IReadOnlyList<int>? LayerTensors(MeasurementSet measurements, string model)
    {
        var layers = measurements.Models.Where(m => m.Model == model && m.Layers.Count > 0).Select(m => m.Layers).FirstOrDefault();
        return layers is null || layers.Any(l => l.ParameterTensors is null) ? null : layers.Select(l => l.ParameterTensors!.Value).ToArray();
    }

    /// <summary>The profiled model's buffer tensors (sum over its layers' <see cref="LayerMeasurement.BufferTensors"/>); 0 where
    /// the measurements do not record them (before sim-measurements v6).</summary>
    public static int BufferTensors(MeasurementSet measurements, string model) =>
        measurements.Models.Where(m => m.Model == model && m.Layers.Count > 0).Select(m => m.Layers.Sum(l => l.BufferTensors ?? 0)).DefaultIfEmpty(0).Max();

    /// <summary>The bytes of the profiled model's buffers (sum over its layers' <see cref="LayerMeasurement.BufferBytes"/>, the same
    /// at every batch size): what DDP broadcasts before each forward; 0 for measurements that do not record them.</summary>
    public static long BufferBytes(MeasurementSet measurements, string model) =>
        measurements.Models.Where(m => m.Model == model && m.Layers.Count > 0).Select(m => m.Layers.Sum(l => l.BufferBytes)).DefaultIfEmpty(0).Max();

    /// <summary>The profiled model as a workload: its layers (as measured at the batch closest to
    /// <paramref name="batch"/>), per-layer times scaled so that the whole step matches the fitted step
    /// curve at <paramref name="batch"/>, and the optimizer's share of the step.</summary>
    /// <param name="computeSpeedFactor">How much slower than profiled the machine computes (1: as profiled): the step curve's time is
    /// scaled by it, so are every layer and the optimizer.</param>
    public static (ModelSpec Spec, IComputeModel Compute, double OptimizerSeconds) Workload(CalibrationProfile profile, MeasurementSet measurements, string model, int batch,
        double computeSpeedFactor = 1)
    {
        if (!(computeSpeedFactor > 0) || !double.IsFinite(computeSpeedFactor)) throw new ArgumentOutOfRangeException(nameof(computeSpeedFactor), computeSpeedFactor, "expected a finite factor > 0");
        var steps = measurements.Models.Where(m => m.Model == model && m.Layers.Count > 0).ToList();
        if (steps.Count == 0) throw new KeyNotFoundException($"the measurements have no per-layer times for model '{model}'");
        var reference = steps.MinBy(s => Math.Abs(Math.Log((double)s.Batch / batch)))!;
        double step = profile.Model(model).Seconds(batch) * computeSpeedFactor;
        double layersSum = reference.Layers.Sum(l => l.ForwardSeconds + l.BackwardSeconds);
        // The optimizer and framework work outside the instrumented layers keep their measured share.
        double scale = step / Math.Max(reference.MedianSeconds, layersSum);
        double optimizer = Math.Max(0, reference.MedianSeconds - layersSum) * scale;
        var layers = reference.Layers.Select((l, i) => new Layer
        {
            Name = $"{i}:{l.Name}", Kind = l.Kind,
            ForwardFlops = l.ForwardFlops / reference.Batch, BackwardFlops = 2 * l.ForwardFlops / reference.Batch,
            Parameters = l.Parameters, OutputActivationBytes = (double)l.OutputBytes / reference.Batch,
        }).ToList();
        var times = reference.Layers.Select((l, i) => ($"{i}:{l.Name}", (l.ForwardSeconds * scale, l.BackwardSeconds * scale)))
            .ToDictionary(x => x.Item1, x => x.Item2);
        var compute = new MeasuredCompute(times, batch, profile.Roofline.PeakFlopsPerSecond, $"profile step curve for {model} at batch {batch} (layer shares from batch {reference.Batch})");
        return (new ModelSpec { Name = model, Layers = layers, Source = "profiled on this machine" }, compute, optimizer);
    }

    /// <summary>Mean absolute relative error of the simulated job's CPU work per iteration against what all ranks
    /// measurably spent per step (<see cref="DdpValidationCase.StepCpuSeconds"/>), over the cases that measured it;
    /// null when none did (steplogs older than v3).</summary>
    /// <param name="atSpeed">Compare the work at the machine's speed during the run (<see cref="DdpValidationCase.ModelCpuSeconds"/>, at the
    /// profile's speed, times <see cref="DdpValidationCase.SpeedFactor"/>): the cleanest check of the speed reference, since CPU
    /// seconds per step do not depend on the share of the cores the job got.</param>
    public static double? WorkMape(IReadOnlyList<DdpValidationCase> cases, bool atSpeed = false)
    {
        var measured = cases.Where(c => double.IsFinite(c.StepCpuSeconds) && c.StepCpuSeconds > 0 && double.IsFinite(c.ModelCpuSeconds)).ToList();
        return measured.Count == 0 ? null : measured.Average(c => Math.Abs(c.ModelCpuSeconds * (atSpeed ? c.SpeedFactor : 1) / c.StepCpuSeconds - 1));
    }

    /// <summary>Mean absolute percentage error.</summary>
    public static double Mape(IReadOnlyList<DdpValidationCase> cases) => MapeOf(cases, c => c.RelativeError);

    /// <summary>Mean absolute percentage error of the predictions at the profile's speed (<see cref="DdpValidationCase.UnadjustedSeconds"/>).</summary>
    public static double UnadjustedMape(IReadOnlyList<DdpValidationCase> cases) => MapeOf(cases, c => c.UnadjustedRelativeError);

    /// <summary>Mean absolute percentage error of the speed-adjusted predictions (<see cref="DdpValidationCase.AdjustedSeconds"/>).</summary>
    public static double AdjustedMape(IReadOnlyList<DdpValidationCase> cases) => MapeOf(cases, c => c.AdjustedRelativeError);

    /// <summary>Mean absolute percentage error with the factor on the compute terms only (<see cref="DdpValidationCase.ComputeOnlySeconds"/>).</summary>
    public static double ComputeOnlyMape(IReadOnlyList<DdpValidationCase> cases) => MapeOf(cases, c => c.ComputeOnlyRelativeError);

    private static double MapeOf(IReadOnlyList<DdpValidationCase> cases, Func<DdpValidationCase, double> error) => cases.Average(c => Math.Abs(error(c)));
}
