using Sim.Calibration.Profiles;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Fitting;

/// <summary>
/// Turns a directory of measurements into a calibration profile, like a surveyor turning field
/// notes into a map: kernel timings become efficiency curves and a measured roofline, model steps
/// become step-time curves, collective timings become alpha-beta link costs and step-time samples
/// become a jitter distribution. Expected files in the directory: measurements.json (required,
/// written by the profiler), steps-*.log (sim-steplog, optional), *.nccl.txt (nccl-tests
/// output, optional) and trace-*.json (PyTorch profiler traces, checked and counted).
/// </summary>
public static class CalibrationFitter
{
    public const string MeasurementsFile = "measurements.json";

    public static CalibrationProfile FitDirectory(string directory)
    {
        if (!Directory.Exists(directory)) throw new TraceFormatException(directory, "directory", "does not exist");
        string measurementsPath = Path.Combine(directory, MeasurementsFile);
        if (!File.Exists(measurementsPath))
            throw new TraceFormatException(directory, "directory", $"no {MeasurementsFile} (run `sim calibrate profile --out {directory}` first)");
        var set = MeasurementSetReader.Read(measurementsPath);
        var sources = new List<SourceFile> { new(MeasurementsFile, "sim-measurements", set.Ops.Count + set.Models.Count + set.Collectives.Count) };

        var extraCollectives = new List<CollectiveMeasurement>();
        foreach (var path in Sorted(directory, "*.nccl.txt"))
        {
            var rows = NcclTestsReader.Read(path);
            extraCollectives.AddRange(rows);
            sources.Add(new(Path.GetFileName(path), "nccl-tests", rows.Count));
        }
        var stepGroups = new List<IReadOnlyList<double>>();
        foreach (var path in Sorted(directory, "steps-*.log"))
        {
            var records = StepTimeLogReader.Read(path);
            stepGroups.AddRange(records.GroupBy(r => (r.Model, r.Batch, r.WorldSize)).Select(g => (IReadOnlyList<double>)g.Select(r => r.Seconds).ToList()));
            sources.Add(new(Path.GetFileName(path), "sim-steplog", records.Count));
        }
        foreach (var path in Sorted(directory, "trace-*.json"))
        {
            long count = 0;
            using var reader = PyTorchTraceReader.Open(path);
            while (reader.TryRead(out _)) count++;
            sources.Add(new(Path.GetFileName(path), reader.Format == TraceFileFormat.Kineto ? "kineto-trace" : "legacy-trace", count));
        }
        return Fit(set, extraCollectives, stepGroups, sources);
    }

    /// <summary>Fits a profile from already-read measurements (pure: same input, same profile).</summary>
    public static CalibrationProfile Fit(MeasurementSet set, IEnumerable<CollectiveMeasurement>? extraCollectives = null,
        IEnumerable<IReadOnlyList<double>>? stepTimeGroups = null, IReadOnlyList<SourceFile>? sources = null)
    {
        if (set.Ops.Count == 0) throw new ArgumentException("the measurements contain no kernel timings to fit");
        var roofline = Roofline.FromMeasurements(set.Ops);
        var operations = set.Ops.GroupBy(o => o.Op).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => FitOperation(g.Key, g.ToList())).ToList();
        var classes = set.Ops.GroupBy(o => o.OpClass).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => FitOperation(g.Key, g.ToList())).ToList();
        var models = set.Models.GroupBy(m => m.Model).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => FitModel(g.Key, g.ToList())).ToList();
        var links = set.Collectives.Concat(extraCollectives ?? [])
            .GroupBy(c => (c.Backend, c.Collective, c.WorldSize))
            // gloo broadcasts (the buffer broadcast's cost) that do not grow with the bytes (noise on a loaded machine)
            // are left out, the all-reduce stands in for them, instead of failing the whole fit
            .Where(g => g.Key.Collective != "broadcast" || Fittable(g.Key.Backend, g.Key.Collective, g.Key.WorldSize, g.ToList()))
            .OrderBy(g => g.Key.Backend, StringComparer.Ordinal).ThenBy(g => g.Key.Collective, StringComparer.Ordinal).ThenBy(g => g.Key.WorldSize)
            .Select(g => FitLink(g.Key.Backend, g.Key.Collective, g.Key.WorldSize, g.ToList())
                is var link && g.Key.Collective == "all_reduce"
                ? link with
                {
                    HostCpuInDdp = FitHostCpuInDdp(set.DdpPatternRows.Where(r => r.Backend == g.Key.Backend && r.WorldSize == g.Key.WorldSize).ToList()),
                    HostCpuOfDdpStep = FitDdpStepCpu(DdpCostSteps(set, g.Key.Backend, g.Key.WorldSize)).PerBucket,
                    DdpCpuPerTensor = FitDdpStepCpu(DdpCostSteps(set, g.Key.Backend, g.Key.WorldSize)).PerTensor,
                    DdpStepWall = FitDdpStepWall(OneTensorPerLayer(DdpSteps(set, g.Key.Backend, g.Key.WorldSize))),
                    CoRunComputeFactor = CoRunComputeFactor(DdpSteps(set, g.Key.Backend, g.Key.WorldSize)),
                    HostCpuOfDdpStepAlone = FitDdpAloneCpu(DdpSteps(set, g.Key.Backend, 1)).PerBucket,
                    DdpAloneCpuPerTensor = FitDdpAloneCpu(DdpSteps(set, g.Key.Backend, 1)).PerTensor,
                    DdpAloneCpuPerStep = FitDdpAloneCpu(DdpSteps(set, g.Key.Backend, 1)).PerStep,
                    DdpAloneComputeThreadShare = ComputeThreadShare(DdpSteps(set, g.Key.Backend, 1)),
                    DdpAloneBufferSync = DdpBufferSyncCost.Fit(set.DdpBufferSyncRows.Where(r => r.Backend == g.Key.Backend && r.WorldSize == 1).ToList()),
                    ConvCoRunComputeFactor = CoRunComputeFactor(DdpSteps(set, g.Key.Backend, g.Key.WorldSize, DdpStepMeasurement.Conv)),
                    DdpBufferBroadcast = DdpBufferSyncCost.FitTheilSen(
                        set.DdpBufferBroadcastRows.Where(r => r.Backend == g.Key.Backend && r.WorldSize == g.Key.WorldSize).ToList()),
                    DdpBufferBroadcastWall = DdpBufferSyncCost.FitTheilSenWall(
                        set.DdpBufferBroadcastRows.Where(r => r.Backend == g.Key.Backend && r.WorldSize == g.Key.WorldSize).ToList()),
                }
                : link).ToList();
        var groups = (stepTimeGroups ?? set.Models.Select(m => m.Samples)).Where(g => g.Count > 0).ToList();
        JitterModel? jitter = groups.Sum(g => g.Count) >= 3 ? JitterFitter.Fit(groups) : null;
        return new CalibrationProfile(CalibrationProfile.CurrentSchemaVersion, set.Created, set.Clock, set.Hardware, roofline,
            operations, classes, models, links, jitter, sources ?? []);
    }

    public static OperationFit FitOperation(string name, IReadOnlyList<OpMeasurement> ops)
    {
        var kinds = ops.Select(o => o.Work).Distinct().ToList();
        if (kinds.Count != 1) throw new ArgumentException($"operation '{name}' mixes compute-bound and memory-bound measurements");
        var points = ops.Select(o => (o.WorkAmount, o.MedianSeconds)).ToList();
        var curve = EfficiencyCurveFitter.Fit(points);
        double error = FitError.MedianRelative(points.Select(p => (curve.Seconds(p.WorkAmount), p.MedianSeconds)));
        return new OperationFit(name, ops[0].OpClass, kinds[0], curve, new MeasuredTable(points), error);
    }

    public static ModelStepFit FitModel(string model, IReadOnlyList<ModelStepMeasurement> steps)
    {
        double perSample = steps[0].TrainFlops / steps[0].Batch;
        foreach (var s in steps)
            if (Math.Abs(s.TrainFlops / s.Batch - perSample) > 1e-9 * perSample)
                throw new ArgumentException($"model '{model}': training FLOPs are not proportional to batch size (batch {s.Batch})");
        var points = steps.Select(s => (s.TrainFlops, s.MedianSeconds)).ToList();
        var curve = EfficiencyCurveFitter.Fit(points);
        double error = FitError.MedianRelative(points.Select(p => (curve.Seconds(p.TrainFlops), p.MedianSeconds)));
        return new ModelStepFit(model, perSample, curve, points.Count, error);
    }

    private static bool Fittable(string backend, string collective, int ranks, IReadOnlyList<CollectiveMeasurement> rows)
    {
        try
        {
            FitLink(backend, collective, ranks, rows);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static LinkFit FitLink(string backend, string collective, int ranks, IReadOnlyList<CollectiveMeasurement> rows)
    {
        var points = rows.Select(r => ((double)r.Bytes, r.Seconds)).ToList();
        var cost = AlphaBetaFitter.FitLink(collective, ranks, points);
        double error = FitError.MedianRelative(points.Select(p => (AlphaBetaFitter.CollectiveSeconds(cost, collective, ranks, p.Item1), p.Seconds)));
        string linkClass = backend == "gloo" ? "loopback-gloo" : $"{backend}-{ranks}ranks";
        HostCpuCost? cpu = null;
        if (rows.All(r => r.CpuSeconds is not null))
        {
            var cpuPoints = rows.Select(r => ((double)r.Bytes, r.CpuSeconds!.Value)).ToList();
            var line = AlphaBetaFitter.FitLine(cpuPoints);
            cpu = new HostCpuCost(line, FitError.MedianRelative(cpuPoints.Select(p => (line.Seconds(p.Item1), p.Item2))));
        }
        return new LinkFit(linkClass, backend, collective, ranks, cost, points.Count, error, cpu);
    }

    /// <summary>
    /// The CPU one rank spends per bucket in DDP's pattern, <c>a + b S</c>, by the same robust line
    /// fit as the isolated cost, on each configuration's communication CPU per bucket. A row that spent
    /// no more CPU with its all-reduces than without measured noise, not a cost, and is left out (a
    /// burst of other load during its baseline steps); null when fewer than two bucket sizes remain,
    /// and the isolated cost is used instead.
    /// </summary>
    public static HostCpuCost? FitHostCpuInDdp(IReadOnlyList<DdpPatternMeasurement> rows)
    {
        var points = rows.Where(r => r.CommunicationCpuSecondsPerBucket > 0)
            .Select(r => ((double)r.BucketBytes, r.CommunicationCpuSecondsPerBucket)).ToList();
        if (points.Select(p => p.Item1).Distinct().Count() < 2) return null;
        var line = AlphaBetaFitter.FitLine(points);
        return new HostCpuCost(line, FitError.MedianRelative(points.Select(p => (line.Seconds(p.Item1), p.Item2))));
    }

    /// <summary>
    /// The CPU a real DDP step costs one rank per bucket, <c>a + b S</c>, fitted (same robust line) to each
    /// synthetic configuration's DDP-minus-plain process CPU per bucket against its mean bucket size: a
    /// per-bucket cost a + b S sums to a N + b (total bytes) over a step's N buckets, so the per-bucket
    /// means lie on the same line. Rows where DDP cost nothing measurable are noise and left out; null when
    /// fewer than two mean bucket sizes remain or the costs do not grow with the bytes (then the DDP-pattern or
    /// isolated cost is used).
    /// </summary>
    public static HostCpuCost? FitHostCpuOfDdpStep(IReadOnlyList<DdpStepMeasurement> rows)
    {
        var points = rows.Where(r => r.DdpRunCpuSecondsPerStep > 0)
            .Select(r => ((double)r.Bytes / r.Buckets, r.DdpRunCpuSecondsPerStep / r.Buckets)).ToList();
        return FitPerBucketLine(points) is { } line ? new HostCpuCost(line, FitError.MedianRelative(points.Select(p => (line.Seconds(p.Item1), p.Item2)))) : null;
    }

    /// <summary>
    /// DDP's CPU per bucket and, where the rows vary the tensor count apart from the layers (sim-measurements v6), per
    /// parameter tensor (<see cref="DdpStepCostFitter"/>); otherwise the per-bucket line alone from the stacks of one tensor
    /// per layer, with no per-tensor term.
    /// </summary>
    public static (HostCpuCost? PerBucket, double? PerTensor) FitDdpStepCpu(IReadOnlyList<DdpStepMeasurement> rows) =>
        DdpStepCostFitter.Fit(rows) is { } full ? (full.PerBucket, full.PerTensorSeconds) : (FitHostCpuOfDdpStep(OneTensorPerLayer(rows)), null);

    /// <summary>
    /// What DDP costs a single process (a world of one): the four-term form, per step, per bucket, per byte and per tensor
    /// (<see cref="DdpStepCostFitter.FitWithStep"/>, profile v9), where the rows separate them; else as <see cref="FitDdpStepCpu"/>
    /// (no per-step term: what profiles up to v8 carry).
    /// </summary>
    public static (HostCpuCost? PerBucket, double? PerTensor, double? PerStep) FitDdpAloneCpu(IReadOnlyList<DdpStepMeasurement> rows)
    {
        if (DdpStepCostFitter.FitWithStep(rows) is { } four) return (four.PerBucket, four.PerTensorSeconds, four.PerStepSeconds);
        var (perBucket, perTensor) = FitDdpStepCpu(rows);
        return (perBucket, perTensor, null);
    }

    private static List<DdpStepMeasurement> OneTensorPerLayer(IReadOnlyList<DdpStepMeasurement> rows) => rows.Where(r => r.Tensors == r.Layers).ToList();

    /// <summary>
    /// The robust line through per-bucket costs of the DDP step benchmark, or null when it cannot be one: fewer than two
    /// bucket sizes, or costs that do not grow with the bytes (on a loaded machine a few noisy configurations can tilt
    /// it; such a line measures no per-byte cost, and the profile is better without the term than failing to fit).
    /// </summary>
    private static LinkCost? FitPerBucketLine(List<(double Bytes, double Seconds)> points)
    {
        if (points.Select(p => p.Bytes).Distinct().Count() < 2) return null;
        try { return AlphaBetaFitter.FitLine(points); }
        catch (ArgumentException) { return null; }
    }

    /// <summary>
    /// The wall time a DDP bucket adds to a step, <c>a + b S</c> per bucket: the same robust line fit on each synthetic
    /// configuration's DDP-minus-plain step wall time (slowest rank) per bucket against its mean bucket size. Only from
    /// rows that also measured the solo step (sim-measurements v5), so a profile of older measurements keeps its older
    /// meaning; rows where DDP added no wall time are noise and left out; null when fewer than two bucket sizes remain.
    /// </summary>
    public static DdpBucketWallTime? FitDdpStepWall(IReadOnlyList<DdpStepMeasurement> rows)
    {
        var points = rows.Where(r => r.SoloWallSeconds is not null && r.DdpWallSecondsPerBucket > 0)
            .Select(r => ((double)r.Bytes / r.Buckets, r.DdpWallSecondsPerBucket)).ToList();
        return FitPerBucketLine(points) is { } line ? new DdpBucketWallTime(line, FitError.MedianRelative(points.Select(p => (line.Seconds(p.Item1), p.Item2)))) : null;
    }

    /// <summary>
    /// The share of DDP's cost that the compute thread itself spends, (DDP minus plain compute-thread CPU) over (DDP minus plain
    /// process CPU), median over the rows where DDP cost something measurable; capped at 1; null without such rows. In a single
    /// process the rest (gloo's worker thread reducing the one-rank bucket) runs beside the compute thread.
    /// </summary>
    public static double? ComputeThreadShare(IReadOnlyList<DdpStepMeasurement> rows)
    {
        var shares = rows.Where(r => r.DdpCpuSecondsPerStep > 0)
            .Select(r => Math.Clamp((r.MainThreadCpuSeconds - r.PlainMainThreadCpuSeconds) / r.DdpCpuSecondsPerStep, 0, 1)).ToArray();
        return shares.Length == 0 ? null : MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(shares);
    }

    /// <summary>
    /// What co-located ranks cost each other's compute: the median over the synthetic configurations (v5 rows) of the
    /// compute thread's CPU for the plain step with all ranks computing at once over the same step on one rank alone.
    /// A median of ratios, so one configuration disturbed by other load does not move it; null without v5 rows.
    /// </summary>
    public static double? CoRunComputeFactor(IReadOnlyList<DdpStepMeasurement> rows)
    {
        var factors = rows.Select(r => r.CoRunComputeFactor).OfType<double>().ToArray();
        return factors.Length == 0 ? null : MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(factors);
    }

    // DDP's own costs and the Linear co-run factor come from the Linear stacks; convolution stacks only give their factor.
    private static List<DdpStepMeasurement> DdpSteps(MeasurementSet set, string backend, int world, string kind = DdpStepMeasurement.Linear) =>
        set.DdpStepRows.Where(r => r.Backend == backend && r.WorldSize == world && r.Kind == kind).ToList();

    // DDP's per-bucket and per-tensor CPU costs: the Linear stacks and (v8) the conv + BatchNorm stacks without their buffer
    // broadcast, whose convolution weights and BatchNorm weights and biases vary the tensors apart from the bytes as well.
    private static List<DdpStepMeasurement> DdpCostSteps(MeasurementSet set, string backend, int world) =>
        [.. DdpSteps(set, backend, world), .. set.DdpBufferBroadcastRows.Where(r => r.Backend == backend && r.WorldSize == world).Select(r => r.AsDdpStep())];

    private static IEnumerable<string> Sorted(string directory, string pattern) =>
        Directory.EnumerateFiles(directory, pattern).Order(StringComparer.Ordinal);
}
