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
/// While an overlapped bucket's all-reduce runs, backward compute keeps
/// <see cref="DataParallelConfig.CommRetainedSpeed"/> of its speed (NCCL's channels hold SMs; 1 by
/// default: no interference); the closed form is <see cref="CommOverlap.BucketedBackward"/>, and the
/// stretch counts as exposed communication. The optimizer step is memory-bound Adam unless the configuration
/// names another (<see cref="OptimizerKind"/>), and runs once per <see cref="DataParallelConfig.IterationsPerOptimizerStep"/>
/// iterations. When a background loop issues the all-reduces (Horovod), a ready bucket waits for its next
/// wake-up: the wake-ups' phase against the step is arbitrary, so the wait is taken at its mean, half of
/// <see cref="DataParallelConfig.SyncCycleSeconds"/>.
/// </summary>
public sealed class SyncDataParallel : ITrainingJob
{
    private readonly Simulation _sim;
    private readonly DataParallelConfig _cfg;
    private readonly IComputeModel _compute;
    private readonly IGradientSync _sync;
    private readonly GradientBuckets _buckets;
    private readonly double _forward, _backward, _optimizer, _parameterPasses;
    private readonly double[] _readyOffset; // per bucket: forward + backward down to the bucket's closing layer
    private readonly double[] _producedAt;  // slowed-compute path, per bucket: when the step produced it (NaN: not yet)
    private readonly StragglerState _stragglers;

    private readonly IterationLedger _ledger = new();
    private double _checkpointTime, _failureLoss;
    private int _failures, _checkpoints;
    // Driver state shared with its steps: iterations done and committed, the end of the last checkpoint
    // (or restart), and whether the current step was interrupted by a failure.
    private int _done, _committed;
    private double _lastCheckpointEnd;
    private bool _failed;
    private double _jobTime = double.NaN;
    private double _slowedComputeEnd; // end of the step's compute as stretched by interference (set per step)
    private double _bucketStart;      // when the bucket being reduced started (set per bucket)
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
        _producedAt = new double[_buckets.Count];
        for (int b = 0; b < _buckets.Count; b++)
        {
            double done = 0;
            for (int j = layers.Count - 1; j >= _buckets.ClosingLayer[b]; j--) done += bwd[j];
            _readyOffset[b] = _forward + done;
        }
        _optimizer = config.OptimizerSeconds ?? config.Optimizer switch
        {
            OptimizerKind.SgdPerTensor => PerTensorSgd.Seconds(compute, config.Model, config.OptimizerAfterHostSync),
            _ => OptimizerEstimate(compute, config.Model.Parameters),
        };
        _parameterPasses = config.ParameterPasses == ParameterPassKind.None ? 0
            : PyTorchParameterPasses.Seconds(compute, config.Model, ddp: config.Workers > 1, autocast: config.ParameterPasses == ParameterPassKind.PyTorchAutocast);
        _stragglers = new StragglerState(simulation, config.Stragglers, config.Workers);
        _timeline = new TrainingTimeline(simulation.Timeline, "data parallel");
    }

    public GradientBuckets Buckets => _buckets;
    /// <summary>Forward and backward seconds of one worker with multiplier 1.</summary>
    public double ForwardSeconds => _forward;
    public double BackwardSeconds => _backward;
    public double OptimizerSeconds => _optimizer;
    /// <summary>Seconds of the framework's per-parameter passes each iteration (<see cref="DataParallelConfig.ParameterPasses"/>).</summary>
    public double ParameterPassSeconds => _parameterPasses;

    /// <summary>Optimizer seconds of the iteration with index <paramref name="iteration"/> (0-based): the whole step
    /// on every <see cref="DataParallelConfig.IterationsPerOptimizerStep"/>-th iteration, else none (gradient accumulation).</summary>
    public double OptimizerSecondsAt(int iteration) => (iteration + 1) % _cfg.IterationsPerOptimizerStep == 0 ? _optimizer : 0;
    /// <summary>When each bucket is ready, relative to the iteration start, for multiplier 1.</summary>
    public IReadOnlyList<double> BucketReadyOffsets => _readyOffset;

    /// <summary>Memory-bound Adam step: read parameter, gradient and two moments, write parameter and
    /// moments (7 fp32 words = 28 bytes per parameter) and about 12 FLOPs per parameter.</summary>
    public static double OptimizerEstimate(IComputeModel compute, double parameters)
    {
        return MemoryPass.Seconds(compute, "adam", 28 * parameters, flops: 12 * parameters);
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
            IterationTimes = _ledger.IterationTimes.ToArray(),
            IterationBusyFraction = _ledger.BusyFractions.ToArray(),
            SamplesPerIteration = (double)_cfg.Workers * _cfg.MicroBatch,
            TokensPerSample = _cfg.Model.TokensPerSample,
            FlopsPerSample = _cfg.Model.TrainingFlopsPerSample,
            PeakFlopsPerGpu = _compute.PeakFlops,
            JobTime = _jobTime,
            Breakdown = new Breakdown(_ledger.Compute, _ledger.Exposed, _ledger.Wait, 0, _checkpointTime, _failureLoss),
            Failures = _failures,
            Checkpoints = _checkpoints,
            KernelEvents = _sim.EventsProcessed,
            Seed = _sim.Seed,
        };
    }

    /// <summary>Iteration after iteration (local SGD: round after round of H steps) until the job is done:
    /// one step, its accounting, a checkpoint when due, and recovery when a failure interrupted any of it.</summary>
    private IEnumerable<Event> Driver()
    {
        var self = _sim.ActiveProcess!;
        var failures = _cfg.Failures;
        bool checkpointing = failures is not null && double.IsFinite(failures.CheckpointIntervalSeconds);
        double start = _sim.Now;
        _lastCheckpointEnd = start;
        int h = _cfg.LocalSteps;
        double stepCompute = _forward + _backward;

        while (_done < _cfg.Iterations)
        {
            _failed = false;
            double t0 = _sim.Now;
            // Each worker's multiplier for this iteration (local SGD: for the whole round of H steps).
            double effective = _stragglers.Pace(t0, h, _cfg.BackupWorkers, out double meanCompute);
            foreach (var e in h == 1 ? SynchronousStep(self, t0, effective) : LocalRound(self, t0, effective)) yield return e;

            if (!_failed)
            {
                double took = _sim.Now - t0;
                double slowest = effective * stepCompute;
                double optimizer = (h == 1 ? OptimizerSecondsAt(_done) : h * _optimizer) + h * _parameterPasses;
                double ownCompute = meanCompute * stepCompute + optimizer;
                _ledger.Record(h, took, ownCompute, wait: slowest - meanCompute * stepCompute, exposed: took - slowest - optimizer);
                _done += h;
                if (!checkpointing) _ledger.Commit();
                else if (_done < _cfg.Iterations && _sim.Now - _lastCheckpointEnd >= failures!.CheckpointIntervalSeconds)
                    foreach (var e in Checkpoint(self, failures.CheckpointSeconds)) yield return e;
            }
            if (_failed) foreach (var e in Recover(self, failures!)) yield return e;
        }
        _ledger.Commit();
        _jobTime = _sim.Now - start;
    }

    /// <summary>One DDP iteration: each bucket is all-reduced as soon as backward has produced it (or,
    /// without overlap, after backward), then the rest of backward and the optimizer step.</summary>
    private IEnumerable<Event> SynchronousStep(Process self, double t0, double effective)
    {
        double stepCompute = _forward + _backward;
        double computeEnd = t0 + effective * stepCompute;
        if (_cfg.Overlap && _cfg.CommRetainedSpeed < 1)
        {
            foreach (var e in ReduceBucketsSlowingCompute(self, t0, effective, stepCompute)) yield return e;
            computeEnd = _slowedComputeEnd;
        }
        else foreach (var e in ReduceBuckets(self, t0, effective, _cfg.Overlap ? _readyOffset : null, stepCompute)) yield return e;
        if (!_failed && _sim.Now < computeEnd)
        {
            yield return _sim.Sleep(computeEnd - _sim.Now);
            if (self.HandleFault()) _failed = true;
        }
        if (!_failed && _parameterPasses > 0) // the framework's per-parameter passes, charged after the step's compute
        {
            yield return _sim.Sleep(_parameterPasses);
            if (self.HandleFault()) _failed = true;
        }
        double optimizer = OptimizerSecondsAt(_done);
        if (!_failed && optimizer > 0)
        {
            yield return _sim.Sleep(optimizer);
            if (self.HandleFault()) _failed = true;
            else _timeline.Optimizer(_sim.Now - optimizer, _sim.Now);
        }
        if (!_failed && _timeline.Enabled)
        {
            _timeline.Compute("forward", t0, t0 + effective * _forward, _done);
            _timeline.Compute("backward", t0 + effective * _forward, computeEnd, _done);
        }
    }

    /// <summary>One local SGD round: H local steps (compute and optimizer, no communication), then the
    /// model averaged with the same bucketed all-reduce as DDP, every bucket ready at once.</summary>
    private IEnumerable<Event> LocalRound(Process self, double t0, double effective)
    {
        int h = _cfg.LocalSteps;
        yield return _sim.Sleep(effective * (_forward + _backward) + h * _optimizer);
        if (self.HandleFault()) { _failed = true; yield break; }
        _timeline.Compute($"{h} local steps", t0, _sim.Now, _done);
        foreach (var e in ReduceBuckets(self, t0, effective, null, 0)) yield return e;
    }

    /// <summary>All-reduces the buckets in order, one at a time, on the communication stream. With
    /// <paramref name="readyOffsets"/>, bucket b waits until t0 + effective x readyOffsets[b]; without,
    /// until t0 + effective x <paramref name="readyAfter"/> (0: already). Stops at the first failure.</summary>
    private IEnumerable<Event> ReduceBuckets(Process self, double t0, double effective, double[]? readyOffsets, double readyAfter)
    {
        for (int b = 0; b < _buckets.Count && !_failed; b++)
            foreach (var e in ReduceBucket(self, b, t0 + effective * (readyOffsets is null ? readyAfter : readyOffsets[b]))) yield return e;
    }

    /// <summary>Waits until <paramref name="readyAt"/> (if still ahead), then all-reduces bucket
    /// <paramref name="b"/> and records it; a fault at either wait sets the failed flag. The reduction's
    /// start is left in <see cref="_bucketStart"/>.</summary>
    private IEnumerable<Event> ReduceBucket(Process self, int b, double readyAt)
    {
        readyAt += _cfg.SyncCycleSeconds / 2; // the issuing loop's next wake-up, on average
        if (_sim.Now < readyAt)
        {
            yield return _sim.Sleep(readyAt - _sim.Now);
            if (self.HandleFault()) { _failed = true; yield break; }
        }
        var reduced = _sim.Event();
        _bucketStart = _sim.Now;
        _sync.AllReduce(_buckets.Bytes[b], _ => reduced.Succeed(), b);
        yield return reduced;
        if (self.HandleFault()) _failed = true;
        else _timeline.AllReduce(b, _buckets.Bytes[b], _bucketStart, _sim.Now, _done);
    }

    /// <summary>
    /// <see cref="ReduceBuckets"/> with interference: the compute advances at full speed while the
    /// communication stream is idle and at <see cref="DataParallelConfig.CommRetainedSpeed"/> while a
    /// bucket is reduced, so bucket b is ready when the work done reaches effective x readyOffsets[b].
    /// Buckets run one at a time, so the stream is idle whenever the loop waits for a bucket. Leaves the
    /// end of the stretched compute in <see cref="_slowedComputeEnd"/>. Stops at the first failure.
    /// </summary>
    private IEnumerable<Event> ReduceBucketsSlowingCompute(Process self, double t0, double effective, double stepCompute)
    {
        double r = _cfg.CommRetainedSpeed, total = effective * stepCompute;
        double work = 0, at = t0; // compute done (in seconds of unhindered compute) as of time `at`
        Array.Fill(_producedAt, double.NaN);
        for (int b = 0; b < _buckets.Count && !_failed; b++)
        {
            double ready = _producedAt[b];
            if (double.IsNaN(ready))
            {
                at += effective * _readyOffset[b] - work; // stream idle: full speed until the bucket is produced
                work = effective * _readyOffset[b];
                ready = at;
            }
            foreach (var e in ReduceBucket(self, b, ready)) yield return e;
            if (_failed) yield break;
            // Full speed while the bucket waited for the issuing loop (stream idle), slowed while it was reduced; the
            // buckets the compute produced meanwhile are dated where the work crossed their offsets. Not capped at the
            // step's compute: past it the figure only dates buckets, all produced by then.
            double fromWork = work, fullUntil = work + Math.Max(0, _bucketStart - at);
            work = fullUntil + r * (_sim.Now - _bucketStart);
            for (int k = b + 1; k < _buckets.Count; k++)
            {
                if (!double.IsNaN(_producedAt[k])) continue;
                double target = effective * _readyOffset[k];
                if (target > work) break;
                _producedAt[k] = target <= fullUntil ? at + (target - fromWork) : _bucketStart + (target - fullUntil) / r;
            }
            at = _sim.Now;
        }
        _slowedComputeEnd = at + Math.Max(0, total - work);
    }

    /// <summary>A blocking checkpoint; when it completes, the iterations since the last one are safe.</summary>
    private IEnumerable<Event> Checkpoint(Process self, double seconds)
    {
        yield return _sim.Sleep(seconds);
        if (self.HandleFault()) { _failed = true; yield break; }
        _checkpoints++;
        _checkpointTime += seconds;
        _timeline.Checkpoint(_sim.Now - seconds, _sim.Now);
        _committed = _done;
        _lastCheckpointEnd = _sim.Now;
        _ledger.Commit();
    }

    /// <summary>After a failure: everything since the last completed checkpoint is lost, then detection
    /// and restart (restarted again by any failure during them), then the job resumes from the checkpoint.</summary>
    private IEnumerable<Event> Recover(Process self, FailureModel failures)
    {
        _failures++;
        _failureLoss += _sim.Now - _lastCheckpointEnd;
        double failedAt = _sim.Now, lostFrom = _lastCheckpointEnd;
        _ledger.Discard();
        double recovery = failures.DetectionSeconds + failures.RestartSeconds;
        while (true)
        {
            double r0 = _sim.Now;
            yield return _sim.Sleep(recovery);
            _failureLoss += _sim.Now - r0;
            if (!self.HandleFault()) break;
            _failures++;
        }
        _done = _committed;
        _timeline.Failure(lostFrom, failedAt, _sim.Now);
        _lastCheckpointEnd = _sim.Now;
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
