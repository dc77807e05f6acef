using Sim.Core;
using Sim.Core.Randomness;
using Sim.Models.Compute;
using Sim.Models.Faults;
using Sim.Models.Workloads;

namespace Sim.Models.Training;

/// <summary>
/// Synchronous data parallel training, iteration by iteration, like rowers who must all finish a stroke
/// before the next begins. Each iteration every worker runs forward then backward on its micro-batch;
/// as backward produces each gradient bucket, the bucket is all-reduced on the communication stream
/// (one at a time, in order), overlapping the rest of backward; the optimizer steps when the last
/// bucket is reduced. A collective starts only when every worker has reached it, so the slowest
/// worker's compute sets the pace (with backup workers, the slowest are left behind instead).
///
/// Worker compute is scaled per iteration by the straggler model's multipliers; the critical path
/// is then set by the largest multiplier. Failures interrupt the run: the work since the last
/// checkpoint is lost and the job pays detection and restart. Local SGD (LocalSteps = H &gt; 1)
/// runs H steps without communication and then averages the model with one bucketed all-reduce.
/// Simplifications (documented in docs/data-parallel.md): NCCL kernels do not slow concurrent
/// compute; the optimizer step is memory-bound Adam.
/// </summary>
public sealed class SyncDataParallel : ITrainingJob
{
    private readonly Simulation _sim;
    private readonly DataParallelConfig _cfg;
    private readonly IComputeModel _compute;
    private readonly IGradientSync _sync;
    private readonly GradientBuckets _buckets;
    private readonly double _forward, _backward, _optimizer;
    private readonly double[] _readyOffset; // per bucket: forward + backward down to the bucket's closing layer
    private readonly StragglerState _stragglers;

    // Accounting: iterations since the last checkpoint are pending until it completes, lost on failure.
    private readonly List<double> _useful = new();
    private readonly List<double> _pending = new();
    // The mean worker's busy fraction of each counted iteration (same order as _useful).
    private readonly List<double> _usefulBusy = new();
    private readonly List<double> _pendingBusy = new();
    private double _computeTime, _exposed, _wait, _pCompute, _pExposed, _pWait, _checkpointTime, _failureLoss;
    private int _failures, _checkpoints;
    private double _jobTime = double.NaN;
    private Process? _driver;
    private readonly TrainingTimeline _timeline;

    public SyncDataParallel(Simulation simulation, DataParallelConfig config, IComputeModel compute, IGradientSync sync)
    {
        config.Validate();
        if (sync.Workers != config.Workers) throw new ArgumentException($"the gradient sync spans {sync.Workers} workers but training.workers is {config.Workers}");
        _sim = simulation;
        _cfg = config;
        _compute = compute;
        _sync = sync;
        var layers = config.Model.Layers;
        _buckets = new GradientBuckets(layers, config.GradientBytesPerParameter, config.BucketCapBytes, config.FirstBucketCapBytes);
        var fwd = layers.Select(l => compute.LayerTime(l, Phase.Forward, config.MicroBatch)).ToArray();
        var bwd = layers.Select(l => compute.LayerTime(l, Phase.Backward, config.MicroBatch)).ToArray();
        _forward = fwd.Sum();
        _backward = bwd.Sum();
        _readyOffset = new double[_buckets.Count];
        for (int b = 0; b < _buckets.Count; b++)
        {
            double done = 0;
            for (int j = layers.Count - 1; j >= _buckets.ClosingLayer[b]; j--) done += bwd[j];
            _readyOffset[b] = _forward + done;
        }
        _optimizer = config.OptimizerSeconds ?? OptimizerEstimate(compute, config.Model.Parameters);
        _stragglers = new StragglerState(simulation, config.Stragglers, config.Workers);
        _timeline = new TrainingTimeline(simulation.Timeline, "data parallel");
    }

    public GradientBuckets Buckets => _buckets;
    /// <summary>Forward and backward seconds of one worker with multiplier 1.</summary>
    public double ForwardSeconds => _forward;
    public double BackwardSeconds => _backward;
    public double OptimizerSeconds => _optimizer;
    /// <summary>When each bucket is ready, relative to the iteration start, for multiplier 1.</summary>
    public IReadOnlyList<double> BucketReadyOffsets => _readyOffset;

    /// <summary>Memory-bound Adam step: read parameter, gradient and two moments, write parameter and
    /// moments (7 fp32 words = 28 bytes per parameter) and about 12 FLOPs per parameter.</summary>
    public static double OptimizerEstimate(IComputeModel compute, double parameters)
    {
        var adam = new Layer { Name = "adam", Kind = "elementwise", ForwardFlops = 12 * parameters, BackwardFlops = 0, ForwardBytes = 28 * parameters, Parameters = 0, OutputActivationBytes = 0 };
        return compute.LayerTime(adam, Phase.Forward, 1);
    }

    /// <summary>Starts the job's processes; run the simulation, then read <see cref="Result"/>.</summary>
    public void Start()
    {
        _driver = _sim.Process(Driver(), "data-parallel driver");
        if (_cfg.Failures is { FailuresPossible: true }) _sim.Process(FailureInjector(), "failures");
    }

    public bool Finished => !double.IsNaN(_jobTime);

    /// <summary>Convenience: a fresh simulation, one job, run to completion.</summary>
    public static TrainingResult Simulate(DataParallelConfig config, IComputeModel compute, Func<Simulation, IGradientSync> sync, ulong seed)
    {
        var sim = new Simulation(seed);
        return TrainingJob.RunToEnd(sim, new SyncDataParallel(sim, config, compute, sync(sim)));
    }

    public TrainingResult Result()
    {
        if (double.IsNaN(_jobTime)) throw new InvalidOperationException("the job has not finished; run the simulation first");
        int h = _cfg.LocalSteps;
        return new TrainingResult
        {
            Strategy = h > 1 ? $"local SGD (H={h})" : _cfg.BackupWorkers > 0 ? $"sync data parallel, {_cfg.BackupWorkers} backup workers" : "sync data parallel",
            Workers = _cfg.Workers,
            IterationTimes = _useful.ToArray(),
            IterationBusyFraction = _usefulBusy.ToArray(),
            SamplesPerIteration = (double)_cfg.Workers * _cfg.MicroBatch,
            TokensPerSample = _cfg.Model.TokensPerSample,
            FlopsPerSample = _cfg.Model.TrainingFlopsPerSample,
            PeakFlopsPerGpu = _compute.PeakFlops,
            JobTime = _jobTime,
            Breakdown = new Breakdown(_computeTime, _exposed, _wait, 0, _checkpointTime, _failureLoss),
            Failures = _failures,
            Checkpoints = _checkpoints,
            KernelEvents = _sim.EventsProcessed,
            Seed = _sim.Seed,
        };
    }

    private IEnumerable<Event> Driver()
    {
        var self = _sim.ActiveProcess!;
        var failures = _cfg.Failures;
        bool checkpointing = failures is not null && double.IsFinite(failures.CheckpointIntervalSeconds);
        double start = _sim.Now;
        int done = 0, committed = 0;
        double lastCheckpointEnd = start;
        int h = _cfg.LocalSteps;
        double stepCompute = _forward + _backward;

        while (done < _cfg.Iterations)
        {
            bool failed = false;
            double t0 = _sim.Now;
            // Each worker's multiplier for this iteration (local SGD: for the whole round of H steps).
            double effective = _stragglers.Pace(t0, h, _cfg.BackupWorkers, out double meanCompute);

            if (h == 1)
            {
                for (int b = 0; b < _buckets.Count && !failed; b++)
                {
                    double readyAt = t0 + effective * (_cfg.Overlap ? _readyOffset[b] : stepCompute);
                    if (_sim.Now < readyAt)
                    {
                        yield return _sim.Sleep(readyAt - _sim.Now);
                        if (self.HandleFault()) { failed = true; break; }
                    }
                    var reduced = _sim.Event();
                    double started = _sim.Now;
                    _sync.AllReduce(_buckets.Bytes[b], _ => reduced.Succeed(), b);
                    yield return reduced;
                    if (self.HandleFault()) failed = true;
                    else _timeline.AllReduce(b, _buckets.Bytes[b], started, _sim.Now, done);
                }
                double computeEnd = t0 + effective * stepCompute;
                if (!failed && _sim.Now < computeEnd)
                {
                    yield return _sim.Sleep(computeEnd - _sim.Now);
                    if (self.HandleFault()) failed = true;
                }
                if (!failed && _optimizer > 0)
                {
                    yield return _sim.Sleep(_optimizer);
                    if (self.HandleFault()) failed = true;
                    else _timeline.Optimizer(_sim.Now - _optimizer, _sim.Now);
                }
                if (!failed && _timeline.Enabled)
                {
                    _timeline.Compute("forward", t0, t0 + effective * _forward, done);
                    _timeline.Compute("backward", t0 + effective * _forward, computeEnd, done);
                }
            }
            else
            {
                // H local steps (compute and optimizer, no communication), then model averaging.
                yield return _sim.Sleep(effective * stepCompute + h * _optimizer);
                if (self.HandleFault()) failed = true;
                else _timeline.Compute($"{h} local steps", t0, _sim.Now, done);
                for (int b = 0; b < _buckets.Count && !failed; b++)
                {
                    var reduced = _sim.Event();
                    double started = _sim.Now;
                    _sync.AllReduce(_buckets.Bytes[b], _ => reduced.Succeed(), b);
                    yield return reduced;
                    if (self.HandleFault()) failed = true;
                    else _timeline.AllReduce(b, _buckets.Bytes[b], started, _sim.Now, done);
                }
            }

            if (!failed)
            {
                double took = _sim.Now - t0;
                double slowest = effective * stepCompute;
                double ownCompute = meanCompute * stepCompute + h * _optimizer;
                _pCompute += ownCompute;
                _pWait += slowest - meanCompute * stepCompute;
                _pExposed += took - slowest - h * _optimizer;
                for (int s = 0; s < h; s++)
                {
                    _pending.Add(took / h);
                    _pendingBusy.Add(took > 0 ? ownCompute / took : 1);
                }
                done += h;
                if (!checkpointing) Commit();
                else if (done < _cfg.Iterations && _sim.Now - lastCheckpointEnd >= failures!.CheckpointIntervalSeconds)
                {
                    yield return _sim.Sleep(failures.CheckpointSeconds);
                    if (self.HandleFault()) failed = true;
                    else
                    {
                        _checkpoints++;
                        _checkpointTime += failures.CheckpointSeconds;
                        _timeline.Checkpoint(_sim.Now - failures.CheckpointSeconds, _sim.Now);
                        committed = done;
                        lastCheckpointEnd = _sim.Now;
                        Commit();
                    }
                }
            }

            if (failed)
            {
                // Everything since the last completed checkpoint is lost, then detection and restart.
                _failures++;
                _failureLoss += _sim.Now - lastCheckpointEnd;
                double failedAt = _sim.Now, lostFrom = lastCheckpointEnd;
                Discard();
                double recovery = failures!.DetectionSeconds + failures.RestartSeconds;
                while (true)
                {
                    double r0 = _sim.Now;
                    yield return _sim.Sleep(recovery);
                    _failureLoss += _sim.Now - r0;
                    if (!self.HandleFault()) break;
                    _failures++;
                }
                done = committed;
                _timeline.Failure(lostFrom, failedAt, _sim.Now);
                lastCheckpointEnd = _sim.Now;
            }
        }
        Commit();
        _jobTime = _sim.Now - start;
    }

    private void Commit()
    {
        _useful.AddRange(_pending);
        _pending.Clear();
        _usefulBusy.AddRange(_pendingBusy);
        _pendingBusy.Clear();
        _computeTime += _pCompute; _exposed += _pExposed; _wait += _pWait;
        _pCompute = _pExposed = _pWait = 0;
    }

    private void Discard()
    {
        _pending.Clear();
        _pendingBusy.Clear();
        _pCompute = _pExposed = _pWait = 0;
    }

    private IEnumerable<Event> FailureInjector()
    {
        var f = _cfg.Failures!;
        int nodes = (_cfg.Workers + _cfg.GpusPerNode - 1) / _cfg.GpusPerNode;
        double rate = 1 / f.SystemMtbf(_cfg.Workers, nodes);
        RandomStream rng = _sim.Random("failures");
        while (true)
        {
            yield return _sim.Sleep(rng.NextExponential(rate));
            if (_driver is not { IsAlive: true }) yield break;
            _driver.Interrupt("failure");
        }
    }
}
