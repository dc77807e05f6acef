using System.Globalization;
using Sim.Calibration.Fitting;
using Sim.Calibration.Profiles;
using Sim.Calibration.Profiling;
using Sim.Calibration.Traces;
using Sim.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace Sim.Calibration.TorchSharp;

/// <summary>
/// Profiles in-process with TorchSharp (LibTorch 2.10.0, CPU): the kernel grid of <see cref="TorchKernelGrid"/>
/// and real training steps (forward, cross-entropy, backward, SGD step) of the small models of
/// <see cref="TorchSmallModels"/> at every batch size of the grid, with per-layer forward and backward times.
/// Writes measurements.json ("sim-measurements", same format as the Python profiler, library "torchsharp ...")
/// steps-&lt;model&gt;.log (sim-steplog) and host-costs.json (<see cref="TorchHostCostFile"/>: the host costs of a
/// step, measured by <see cref="TorchHostCostBenchmarks"/>, and each model's counted calls) into the request's folder. No trace-*.json: TorchSharp has no
/// profiler binding. No gloo: TorchSharp has no distributed package, so collectives, the DDP-pattern and the DDP step
/// benchmarks stay with <see cref="PyTorchProfilerBackend"/>, as does CUDA (no TorchSharp CUDA package is served).
/// </summary>
/// <remarks>
/// Timing: <see cref="ProfilerClock"/> (thread CPU time with one torch thread). Every kernel and step is warmed
/// up first (LibTorch's first calls allocate and .NET's tiered JIT promotes the wrappers), each kernel sample
/// loops the kernel for about half a millisecond so the clock's resolution does not matter, and repeats run
/// round-robin over the whole grid so that a burst of other load lands on one repeat of every size rather than
/// on every repeat of one; each sample is the best of three timings (<see cref="ProfilerClock.BestOfThree"/>) and
/// the median over samples is kept. Every call runs inside a dispose scope, so native memory is
/// returned at once instead of when the .NET GC gets to it.
/// Failures: <see cref="ProfilerUnavailableException"/> when torch cannot load or CUDA is asked for;
/// <see cref="ArgumentException"/> for a bad request; <see cref="OperationCanceledException"/> on cancellation
/// (nothing is written then).
/// </remarks>
public sealed class TorchSharpProfilerBackend : IProfilerBackend
{
    public const string BackendName = "torchsharp";
    private const double SampleSeconds = 0.0005;

    public string Name => BackendName;

    /// <summary>"torchsharp 0.107.0 (LibTorch 2.10.0)": the library string profiles record.</summary>
    public static string Library => $"torchsharp {TorchRuntime.TorchSharpVersion} (LibTorch {TorchRuntime.LibTorchVersion})";

    public bool IsAvailable(out string reason) => TorchRuntime.TryEnsureAvailable(out reason);

    public ProfileResult Profile(ProfileRequest request, CancellationToken cancellation = default)
    {
        request.Validate();
        if (request.Device != "cpu")
            throw new ProfilerUnavailableException($"the TorchSharp backend profiles the CPU only (no TorchSharp {request.Device} package is available here); use the pytorch backend");
        try { TorchRuntime.EnsureAvailable(request.Threads == 0 ? null : request.Threads); }
        catch (TorchUnavailableException e) { throw new ProfilerUnavailableException(e.Message); }

        string outDir = Path.GetFullPath(request.OutputDirectory);
        int threads = get_num_threads();
        var clock = ProfilerClock.For(threads);
        string created = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var log = new StringWriter(CultureInfo.InvariantCulture);

        var ops = MeasureKernels(clock, request.Repeats, cancellation);
        log.WriteLine($"{ops.Count} kernel sizes ({clock.Name} clock, {threads} thread(s))");
        var batches = request.Grid == "short" ? ShortBatches : FullBatches;
        var models = new List<ModelStepMeasurement>();
        var stepLogs = new Dictionary<string, string>();
        var counts = new List<TorchStepCounts>();
        foreach (string name in TorchSmallModels.Names)
        {
            var rows = MeasureModel(name, batches, clock, request.Repeats, cancellation, counts);
            models.AddRange(rows);
            stepLogs[name] = StepLog(rows);
            log.WriteLine($"{name}: batches {string.Join(",", batches)}");
        }
        var hostCosts = TorchHostCostBenchmarks.Measure(clock, request.Repeats, cancellation);
        log.WriteLine($"host costs: {hostCosts.Describe()}");
        if (request.Collectives) log.WriteLine("collectives: none (TorchSharp has no gloo binding; the pytorch backend measures them)");

        var hardware = HardwareIdentity.ThisCpu(threads, TorchRuntime.LibTorchVersion, Library);
        var set = new MeasurementSet(created, clock.Name, hardware, ops, models, [], []);
        cancellation.ThrowIfCancellationRequested();
        Directory.CreateDirectory(outDir);
        var logPaths = new List<string>();
        foreach (var (name, text) in stepLogs)
        {
            string path = Path.Combine(outDir, $"steps-{name}.log");
            Sim.Core.Files.AtomicFile.WriteAllText(path, text);
            logPaths.Add(path);
        }
        string measurements = Path.Combine(outDir, CalibrationFitter.MeasurementsFile);
        MeasurementSetWriter.Write(set, measurements);
        TorchHostCostFile.Write(Path.Combine(outDir, TorchHostCostFile.FileName), clock.Name, hostCosts, counts);
        return new ProfileResult(outDir, measurements, [], logPaths, log.ToString());
    }

    /// <summary>Batch sizes of the short and full grids: the Python profiler's powers of two and 1.5x each between
    /// them (3, 6, 12, ...), so that the held-out check predicts each size from neighbours 1.5x away.</summary>
    public static readonly int[] ShortBatches = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32];
    public static readonly int[] FullBatches = [1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128];

    internal static IReadOnlyList<OpMeasurement> MeasureKernels(ProfilerClock clock, int repeats, CancellationToken cancellation)
    {
        var keep = new List<IDisposable>();
        try
        {
            using var noGrad = torch.no_grad();
            var grid = TorchKernelGrid.Build(keep);
            var inner = new int[grid.Count];
            var samples = grid.Select(_ => new List<double>(repeats)).ToArray();
            for (int i = 0; i < grid.Count; i++)
            {
                RunOnce(grid[i].Run); RunOnce(grid[i].Run);
                double t0 = clock.Now();
                RunOnce(grid[i].Run);
                double single = Math.Max(clock.Now() - t0, 1e-7);
                inner[i] = Math.Clamp((int)(SampleSeconds / single), 1, 1000);
            }
            for (int r = 0; r < repeats; r++)
                for (int i = 0; i < grid.Count; i++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var kernel = grid[i];
                    int loops = inner[i];
                    samples[i].Add(clock.BestOfThree(() => { for (int k = 0; k < loops; k++) RunOnce(kernel.Run); }) / loops);
                }
            return grid.Select((g, i) => new OpMeasurement(g.Op, g.OpClass, g.Work, g.Shapes.Select(s => (IReadOnlyList<long>)s).ToList(),
                g.Flops, g.Bytes, Median(samples[i]))).ToList();
        }
        finally
        {
            foreach (var d in keep) d.Dispose();
        }
    }

    private static void RunOnce(Func<Tensor> kernel)
    {
        using var scope = torch.NewDisposeScope();
        kernel();
    }

    /// <summary>One model trained at each batch size: a fresh seeded model and SGD optimizer per size, 3 warm-up
    /// steps, then <paramref name="repeats"/> timed steps round-robin over the sizes, each right after an untimed
    /// step of the same size (warm caches, as in training); then the layer timings.</summary>
    internal static IReadOnlyList<ModelStepMeasurement> MeasureModel(string name, IReadOnlyList<int> batches, ProfilerClock clock, int repeats,
        CancellationToken cancellation, List<TorchStepCounts>? counts = null)
    {
        var configs = new List<(int Batch, TorchSmallModel Model, Tensor X, Tensor Y, optim.Optimizer Optimizer, List<double> Samples)>();
        try
        {
            foreach (int b in batches)
            {
                var model = TorchSmallModels.Create(name);
                var (x, y) = model.MakeBatch(b);
                var optimizer = optim.SGD(model.Module.parameters(), 0.01);
                configs.Add((b, model, x, y, optimizer, new List<double>(repeats)));
                for (int w = 0; w < 3; w++) TrainStep(model, x, y, optimizer);
            }
            if (counts is not null && configs.Count > 0) counts.Add(TorchStepCounter.Count(configs[0].Model, configs[0].X, configs[0].Y));
            for (int r = 0; r < repeats; r++)
                foreach (var c in configs)
                {
                    cancellation.ThrowIfCancellationRequested();
                    // One untimed step first: the previous size's step (up to batch 128) evicted this model's weights
                    // and activations from the caches, and consecutive training steps find them warm.
                    TrainStep(c.Model, c.X, c.Y, c.Optimizer);
                    c.Samples.Add(clock.BestOfThree(() => TrainStep(c.Model, c.X, c.Y, c.Optimizer)));
                }
            return configs.Select(c =>
            {
                double forward = c.Model.ForwardFlops(c.Batch);
                long parameters = c.Model.Module.parameters().Sum(p => p.numel());
                return new ModelStepMeasurement(name, c.Batch, forward, 3 * forward, parameters, Median(c.Samples), c.Samples,
                    LayerTimings.Measure(c.Model, c.X, c.Y, clock, repeats, cancellation));
            }).ToList();
        }
        finally
        {
            foreach (var c in configs)
            {
                c.X.Dispose(); c.Y.Dispose(); c.Optimizer.Dispose(); c.Model.Module.Dispose();
            }
        }
    }

    /// <summary>One training step: zero the gradients, forward, cross-entropy over every output position, backward, SGD step.</summary>
    internal static void TrainStep(TorchSmallModel model, Tensor x, Tensor y, optim.Optimizer optimizer)
    {
        using var scope = torch.NewDisposeScope();
        optimizer.zero_grad();
        var loss = Loss(model.Module.forward(x), y);
        loss.backward();
        optimizer.step();
    }

    /// <summary>Cross-entropy over every output position (the transformer predicts a token at each).</summary>
    internal static Tensor Loss(Tensor output, Tensor y) => nn.functional.cross_entropy(output.reshape(-1, output.shape[^1]), y.reshape(-1));

    private static string StepLog(IReadOnlyList<ModelStepMeasurement> rows)
    {
        var w = new StringWriter(CultureInfo.InvariantCulture);
        w.WriteLine(StepTimeLogReader.Header);
        foreach (var row in rows)
            for (int i = 0; i < row.Samples.Count; i++)
                w.WriteLine(string.Create(CultureInfo.InvariantCulture, $"iter={i} seconds={row.Samples[i]:G9} model={row.Model} batch={row.Batch} rank=0 world=1"));
        return w.ToString();
    }

    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
