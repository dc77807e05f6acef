using Sim.Core;
using Sim.Core.Randomness;
using Sim.Models.Compute;

namespace Sim.Models.Training;

/// <summary>
/// Data-parallel training whose workers are processes on one CPU host (PyTorch DDP over gloo on
/// 127.0.0.1), like several cooks sharing one kitchen's stoves: each worker's compute thread and
/// each rank's share of the gradient all-reduce are CPU work on the same cores
/// (<see cref="SharedCpuHost"/>), so communication does not overlap computation for free, and
/// workers slow each other down when there are fewer cores than runnable threads.
///
/// One iteration, as DDP runs it: all workers start together (the measured loop starts each
/// iteration at a barrier); each computes forward and then backward layer by layer (last layer
/// first); when a worker's backward has produced every gradient of a bucket the bucket is ready
/// on that worker; a bucket's all-reduce starts when it is ready on every worker and the previous
/// bucket's all-reduce is done (buckets are reduced one at a time, in order), and every rank then
/// spends <c>allReduceCpuSeconds(bytes)</c> of CPU work on it; a worker steps its optimizer when
/// its backward is done and every bucket is reduced. The iteration time is rank 0's, from the
/// start to the end of its optimizer step (what the measured loop times); the next iteration
/// starts when every worker has finished. With per-iteration jitter, each worker's compute and
/// optimizer work is scaled by its own sample.
///
/// Two measured terms of co-located ranks (both from the profiler's DDP step benchmark on synthetic
/// models): with more than one worker, compute and optimizer work is scaled by the co-run compute factor
/// (a step's compute-thread CPU with every rank computing at once over the same step on one rank alone);
/// and a bucket's all-reduce ends no sooner than <c>allReduceWallSeconds(bytes)</c> after it starts, the
/// wall time a DDP bucket adds to a step on free cores, which holds every wait a message costs (gloo's
/// threads sleep and are woken per message) as well as the CPU work. On free cores the wall floor sets
/// the pace; on busy ones the CPU work does. A single worker pays DDP too (a world of one still hooks every
/// gradient, copies it into its bucket and back and runs a one-rank all-reduce): <c>aloneCpuSeconds(bytes)</c> per
/// bucket, on its compute thread right after the bucket is ready.
///
/// DDP with <c>broadcast_buffers=True</c> (PyTorch's default) broadcasts the module's buffers (BatchNorm running
/// statistics) from rank 0 before every forward, a blocking collective: with more than one worker an iteration
/// begins with it, every rank spends <c>bufferBroadcastCpuSeconds</c> of CPU work on it and it ends no sooner than
/// <c>bufferBroadcastWallSeconds</c> after it starts; forward begins on every worker when it has ended (rank 0's
/// own wait ends a little earlier in reality, the sender need not wait for delivery; taken as a barrier here).
/// </summary>
public sealed class CpuHostDataParallel
{
    private const int KindShift = 40, WorkerShift = 20;
    private const long IndexMask = (1L << WorkerShift) - 1;
    private const long Segment = 1, Reduce = 2, Optimizer = 3, ReduceFloor = 4, Broadcast = 5, BroadcastFloor = 6;

    private readonly Simulation _sim;
    private readonly SharedCpuHost _host;
    private readonly int _workers, _iterations;
    private readonly double[] _segments; // compute thread work between bucket-ready points (last: after the last bucket)
    private readonly double[] _bucketCpu; // per-rank CPU work of each bucket's all-reduce
    private readonly double[] _bucketWall; // the least wall time of each bucket's all-reduce
    private readonly double _optimizer;
    private readonly double _broadcastCpu, _broadcastWall; // the buffer broadcast before forward (0: none)
    private readonly IDistribution? _jitter;
    private readonly RandomStream _rng;
    private readonly Action<long> _onDone;

    // Per-iteration state.
    private readonly double[] _scale;
    private readonly int[] _readyCount;
    private readonly bool[] _waitingForReduce;
    private int _nextBucket, _reduced, _finished;
    private bool _reducing;
    private FlooredJoin _broadcast, _reduce; // the buffer broadcast before forward; the bucket being all-reduced
    private double _iterationStart;
    private readonly List<double> _iterationTimes = new();

    /// <param name="forwardSeconds">Forward CPU work of each layer (forward order), one worker, in core-seconds.</param>
    /// <param name="backwardSeconds">Backward CPU work of each layer (forward order).</param>
    /// <param name="buckets">Gradient buckets (DDP order); their closing layers split backward.</param>
    /// <param name="optimizerSeconds">Optimizer step CPU work per worker.</param>
    /// <param name="allReduceCpuSeconds">CPU work one rank spends on an all-reduce of the given bytes per rank.</param>
    /// <param name="jitter">Per-worker, per-iteration multiplier of compute and optimizer work (null: none).</param>
    /// <param name="coRunComputeFactor">Multiplier of compute and optimizer work when more than one worker runs (measured; 1: none).</param>
    /// <param name="allReduceWallSeconds">The least wall time of an all-reduce of the given bytes per rank (null: none).</param>
    /// <param name="aloneCpuSeconds">CPU a single worker's compute thread spends on DDP per bucket of the given bytes (null: none; unused with more workers).</param>
    /// <param name="bufferBroadcastCpuSeconds">CPU each rank spends on the buffer broadcast before every forward (0: no buffers; unused with one worker).</param>
    /// <param name="bufferBroadcastWallSeconds">The least wall time of that broadcast (0: none; unused with one worker).</param>
    /// <param name="layerCoRunFactors">Per layer (forward order), the co-run factor of that layer's forward and backward work when
    /// more than one worker runs, measured per kind of layer (<see cref="CoRunComputeFactors"/>); null: <paramref name="coRunComputeFactor"/> for every layer.
    /// The optimizer keeps <paramref name="coRunComputeFactor"/>.</param>
    /// <param name="bucketTensors">Parameter tensors in each bucket (<see cref="TensorsPerBucket"/>; null: not known, nothing charged per tensor).</param>
    /// <param name="ddpCpuPerTensor">CPU DDP costs per parameter tensor beyond the per-bucket cost (the reducer's autograd hook and the copies
    /// into and out of the bucket): for one worker on its compute thread beside <paramref name="aloneCpuSeconds"/>, for more on each rank
    /// beside <paramref name="allReduceCpuSeconds"/>; the caller gives the figure measured for its number of workers (0: none).</param>
    /// <param name="aloneBufferSyncCpuSeconds">CPU a single worker spends before every forward on DDP's buffer sync (torch 1.13 syncs
    /// buffers whatever the world size; 0: no buffers; unused with more workers, where the buffer broadcast stands for it).</param>
    /// <param name="aloneComputeThreadShare">The share of a single worker's DDP work per bucket (<paramref name="aloneCpuSeconds"/> and the
    /// per-tensor part) its compute thread does; the rest runs beside it on the host from the moment the bucket is ready, and the
    /// optimizer waits for it (gloo's worker thread reducing the one-rank bucket). 1: all on the compute thread.</param>
    /// <param name="aloneCpuPerStepSeconds">CPU a single worker's compute thread spends on DDP once per step whatever its buckets and
    /// tensors (profile v9: DistributedDataParallel.forward's Python work and the reducer's per-iteration set-up and finalisation,
    /// measured in a world of one), charged before its forward; 0: none (older profiles); unused with more workers.</param>
    public CpuHostDataParallel(Simulation simulation, SharedCpuHost host, int workers, int iterations,
        IReadOnlyList<double> forwardSeconds, IReadOnlyList<double> backwardSeconds, GradientBuckets buckets,
        double optimizerSeconds, Func<double, double> allReduceCpuSeconds, IDistribution? jitter = null,
        double coRunComputeFactor = 1, Func<double, double>? allReduceWallSeconds = null, Func<double, double>? aloneCpuSeconds = null,
        double bufferBroadcastCpuSeconds = 0, double bufferBroadcastWallSeconds = 0, IReadOnlyList<double>? layerCoRunFactors = null,
        IReadOnlyList<int>? bucketTensors = null, double ddpCpuPerTensor = 0, double aloneBufferSyncCpuSeconds = 0, double aloneComputeThreadShare = 1,
        double aloneCpuPerStepSeconds = 0)
    {
        if (!(aloneCpuPerStepSeconds >= 0) || !double.IsFinite(aloneCpuPerStepSeconds)) throw new ArgumentOutOfRangeException(nameof(aloneCpuPerStepSeconds), aloneCpuPerStepSeconds, "must be finite and >= 0");
        if (!(aloneComputeThreadShare >= 0 && aloneComputeThreadShare <= 1)) throw new ArgumentOutOfRangeException(nameof(aloneComputeThreadShare), aloneComputeThreadShare, "must be between 0 and 1");
        if (!(aloneBufferSyncCpuSeconds >= 0) || !double.IsFinite(aloneBufferSyncCpuSeconds)) throw new ArgumentOutOfRangeException(nameof(aloneBufferSyncCpuSeconds), aloneBufferSyncCpuSeconds, "must be finite and >= 0");
        if (bucketTensors is not null && bucketTensors.Count != buckets.Count) throw new ArgumentException("one tensor count per bucket", nameof(bucketTensors));
        if (!(ddpCpuPerTensor >= 0) || !double.IsFinite(ddpCpuPerTensor)) throw new ArgumentOutOfRangeException(nameof(ddpCpuPerTensor), ddpCpuPerTensor, "must be finite and >= 0");
        double PerTensor(int bucket) => bucketTensors is null ? 0 : ddpCpuPerTensor * bucketTensors[bucket];
        if (layerCoRunFactors is not null && layerCoRunFactors.Count != forwardSeconds.Count) throw new ArgumentException("one co-run factor per layer", nameof(layerCoRunFactors));
        if (layerCoRunFactors is not null && layerCoRunFactors.Any(f => !(f > 0) || !double.IsFinite(f))) throw new ArgumentOutOfRangeException(nameof(layerCoRunFactors), "co-run factors must be finite and > 0");
        if (!(bufferBroadcastCpuSeconds >= 0) || !double.IsFinite(bufferBroadcastCpuSeconds)) throw new ArgumentOutOfRangeException(nameof(bufferBroadcastCpuSeconds), bufferBroadcastCpuSeconds, "must be finite and >= 0");
        if (!(bufferBroadcastWallSeconds >= 0) || !double.IsFinite(bufferBroadcastWallSeconds)) throw new ArgumentOutOfRangeException(nameof(bufferBroadcastWallSeconds), bufferBroadcastWallSeconds, "must be finite and >= 0");
        if (!(coRunComputeFactor > 0) || !double.IsFinite(coRunComputeFactor)) throw new ArgumentOutOfRangeException(nameof(coRunComputeFactor), coRunComputeFactor, "must be finite and > 0");
        if (workers < 1) throw new ArgumentOutOfRangeException(nameof(workers), workers, "must be >= 1");
        if (workers > IndexMask) throw new ArgumentOutOfRangeException(nameof(workers), workers, $"at most {IndexMask} workers");
        if (iterations < 1) throw new ArgumentOutOfRangeException(nameof(iterations), iterations, "must be >= 1");
        if (forwardSeconds.Count != backwardSeconds.Count) throw new ArgumentException("forward and backward times must be given for the same layers");
        if (!(optimizerSeconds >= 0)) throw new ArgumentOutOfRangeException(nameof(optimizerSeconds), optimizerSeconds, "must be >= 0");
        _sim = simulation;
        _host = host;
        _workers = workers;
        _iterations = iterations;
        double coRun = workers == 1 ? 1 : coRunComputeFactor;
        _optimizer = optimizerSeconds * coRun;
        // a world of one broadcasts to nobody
        _broadcastCpu = workers == 1 ? 0 : bufferBroadcastCpuSeconds;
        _broadcastWall = workers == 1 ? 0 : bufferBroadcastWallSeconds;
        _jitter = jitter;
        _rng = simulation.Random("cpu-host data parallel jitter");
        _onDone = OnDone;

        // Split the compute thread's work at the bucket-ready points: forward, then backward from the
        // last layer down to each bucket's closing layer; the last segment is the backward left over.
        // Each layer's work is scaled by its own co-run factor (one worker: none); DDP's work alone is not compute.
        int layers = forwardSeconds.Count;
        double Factor(int layer) => workers == 1 ? 1 : layerCoRunFactors?[layer] ?? coRun;
        _segments = new double[buckets.Count + 1];
        // one worker: DDP's buffer sync and its once-per-step work before its forward, on its compute thread
        double work = workers == 1 ? aloneBufferSyncCpuSeconds + aloneCpuPerStepSeconds : 0;
        for (int l = 0; l < layers; l++) work += forwardSeconds[l] * Factor(l);
        int next = layers - 1;
        for (int b = 0; b < buckets.Count; b++)
        {
            for (; next >= buckets.ClosingLayer[b]; next--) work += backwardSeconds[next] * Factor(next);
            _segments[b] = work;
            work = 0;
        }
        for (; next >= 0; next--) work += backwardSeconds[next] * Factor(next);
        _segments[buckets.Count] = work;
        // one worker: its compute thread does DDP's work for a bucket before going on with backward
        // (its other threads do the rest beside it: below, as the bucket's one-rank all-reduce work)
        double[] alone = buckets.Bytes.Select((bytes, b) => workers == 1 && aloneCpuSeconds is not null ? aloneCpuSeconds(bytes) + PerTensor(b) : 0).ToArray();
        for (int b = 0; b < buckets.Count; b++) _segments[b + 1] += aloneComputeThreadShare * alone[b];
        foreach (double s in _segments)
            if (!(s >= 0) || !double.IsFinite(s)) throw new ArgumentException("layer times must be finite and >= 0");
        _bucketCpu = buckets.Bytes.Select((bytes, b) => workers == 1 ? (1 - aloneComputeThreadShare) * alone[b] : allReduceCpuSeconds(bytes) + PerTensor(b)).ToArray();
        foreach (double c in _bucketCpu)
            if (!(c >= 0) || !double.IsFinite(c)) throw new ArgumentException("all-reduce CPU work must be finite and >= 0");
        _bucketWall = buckets.Bytes.Select(bytes => workers == 1 || allReduceWallSeconds is null ? 0 : allReduceWallSeconds(bytes)).ToArray();
        foreach (double w in _bucketWall)
            if (!(w >= 0) || !double.IsFinite(w)) throw new ArgumentException("all-reduce wall time must be finite and >= 0");

        _scale = new double[workers];
        _readyCount = new int[buckets.Count];
        _waitingForReduce = new bool[workers];
    }

    /// <summary>The parameter tensors in each of <paramref name="buckets"/>, given each layer's (forward order): a bucket holds
    /// the layers from its closing layer up to the previous bucket's closing layer (the last layer for the first bucket).</summary>
    public static int[] TensorsPerBucket(GradientBuckets buckets, IReadOnlyList<int> layerTensors)
    {
        var tensors = new int[buckets.Count];
        int top = layerTensors.Count; // one past the highest layer of the current bucket
        for (int b = 0; b < buckets.Count; b++)
        {
            for (int l = buckets.ClosingLayer[b]; l < top; l++) tensors[b] += layerTensors[l];
            top = buckets.ClosingLayer[b];
        }
        return tensors;
    }

    /// <summary>CPU work of one iteration over all workers without jitter, in core-seconds: compute,
    /// optimizer and every rank's all-reduce work (what the job's processes spend per iteration).</summary>
    public double CpuSecondsPerIteration => _workers * (_broadcastCpu + _segments.Sum() + _optimizer + _bucketCpu.Sum());

    /// <summary>Rank 0's iteration times, in order.</summary>
    public IReadOnlyList<double> IterationTimes => _iterationTimes;

    /// <summary>Starts the first iteration now; run the simulation, then read <see cref="IterationTimes"/>.</summary>
    public void Start() => StartIteration();

    /// <summary>Convenience: a fresh simulation and host, run to completion; rank 0's iteration times.</summary>
    public static IReadOnlyList<double> Simulate(int cores, IReadOnlyList<double> backgroundGroupCores, int workers, int iterations,
        IReadOnlyList<double> forwardSeconds, IReadOnlyList<double> backwardSeconds, GradientBuckets buckets,
        double optimizerSeconds, Func<double, double> allReduceCpuSeconds, IDistribution? jitter, ulong seed)
    {
        var sim = new Simulation(seed);
        var job = new CpuHostDataParallel(sim, new SharedCpuHost(sim, cores, backgroundGroupCores), workers, iterations,
            forwardSeconds, backwardSeconds, buckets, optimizerSeconds, allReduceCpuSeconds, jitter);
        job.Start();
        sim.Run();
        return job.IterationTimes;
    }

    private static long Token(long kind, int worker, int index) => (kind << KindShift) | ((long)worker << WorkerShift) | (long)index;

    private void StartIteration()
    {
        _iterationStart = _sim.Now;
        Array.Clear(_readyCount);
        Array.Clear(_waitingForReduce);
        _nextBucket = _reduced = _finished = 0;
        _reducing = false;
        for (int w = 0; w < _workers; w++)
            _scale[w] = _jitter is null ? 1 : Math.Max(0, _jitter.Sample(_rng));
        if (_broadcastCpu == 0 && _broadcastWall == 0)
        {
            StartForward();
            return;
        }
        _broadcast.Begin(_workers, _broadcastWall);
        if (_broadcastWall > 0) _sim.Schedule(_broadcastWall, _onDone, Token(BroadcastFloor, 0, 0));
        for (int r = 0; r < _workers; r++) _host.Run(_broadcastCpu, _onDone, Token(Broadcast, r, 0));
    }

    private void StartForward()
    {
        for (int w = 0; w < _workers; w++) _host.Run(_segments[0] * _scale[w], _onDone, Token(Segment, w, 0));
    }

    private void OnDone(long token)
    {
        long kind = token >> KindShift;
        int worker = (int)((token >> WorkerShift) & IndexMask);
        int index = (int)(token & IndexMask);
        switch (kind)
        {
            case Segment: SegmentDone(worker, index); break;
            case Reduce: if (_reduce.RankDone()) BucketReduced(); break;
            case ReduceFloor: if (_reduce.FloorPassed()) BucketReduced(); break;
            case Broadcast: if (_broadcast.RankDone()) StartForward(); break;
            case BroadcastFloor: if (_broadcast.FloorPassed()) StartForward(); break;
            default: OptimizerDone(worker); break;
        }
    }

    private void SegmentDone(int worker, int segment)
    {
        int buckets = _readyCount.Length;
        if (segment < buckets)
        {
            _readyCount[segment]++;
            TryStartReduce();
            _host.Run(_segments[segment + 1] * _scale[worker], _onDone, Token(Segment, worker, segment + 1));
            return;
        }
        // Backward done: step once every bucket is reduced.
        if (_reduced == buckets) StartOptimizer(worker);
        else _waitingForReduce[worker] = true;
    }

    private void TryStartReduce()
    {
        if (_reducing || _nextBucket >= _readyCount.Length || _readyCount[_nextBucket] < _workers) return;
        _reducing = true;
        // no wall floor: no event (the CPU work alone decides)
        _reduce.Begin(_workers, _bucketWall[_nextBucket]);
        if (_bucketWall[_nextBucket] > 0) _sim.Schedule(_bucketWall[_nextBucket], _onDone, Token(ReduceFloor, 0, _nextBucket));
        for (int r = 0; r < _workers; r++) _host.Run(_bucketCpu[_nextBucket], _onDone, Token(Reduce, r, _nextBucket));
    }

    private void BucketReduced()
    {
        _reducing = false;
        _nextBucket++;
        _reduced++;
        if (_reduced == _readyCount.Length)
        {
            for (int w = 0; w < _workers; w++)
                if (_waitingForReduce[w]) { _waitingForReduce[w] = false; StartOptimizer(w); }
            return;
        }
        TryStartReduce();
    }

    private void StartOptimizer(int worker) => _host.Run(_optimizer * _scale[worker], _onDone, Token(Optimizer, worker, 0));

    private void OptimizerDone(int worker)
    {
        if (worker == 0) _iterationTimes.Add(_sim.Now - _iterationStart);
        if (++_finished < _workers) return;
        if (_iterationTimes.Count < _iterations) StartIteration();
    }
}
