using Sim.Core;
using Sim.Models.Compute;
using Sim.Models.Workloads;

namespace Sim.Models.Training;

/// <summary>
/// A data-parallel job whose workers are one-thread processes on one CPU host, as a scenario runs it: the
/// configured model's layers timed by the scenario's compute model at the micro-batch, DDP's gradient
/// buckets, the optimizer step, and <see cref="CpuHostDataParallel"/> on a <see cref="SharedCpuHost"/> with
/// the host's cores, the other groups' load and the measured per-rank all-reduce CPU cost. The same host
/// model `sim validate ddp` checks against real PyTorch DDP runs.
/// </summary>
/// <remarks>Breakdown: compute is rank 0's own CPU work per iteration (layers and optimizer) summed over
/// iterations; everything else rank 0 spends (waiting for a core, for the all-reduces and their CPU work,
/// for the slowest worker) is reported as exposed communication, since on a shared host they cannot be told
/// apart. No stragglers or failures.</remarks>
public sealed class CpuHostTrainingJob : ITrainingJob
{
    private readonly Simulation _sim;
    private readonly DataParallelConfig _cfg;
    private readonly IComputeModel _compute;
    private readonly CpuHostDataParallel _job;
    private readonly double _ownWork;
    private double _start = double.NaN;

    public CpuHostTrainingJob(Simulation simulation, DataParallelConfig config, IComputeModel compute, CpuHostSettings host)
    {
        host.Validate();
        _sim = simulation;
        _cfg = config;
        _compute = compute;
        var layers = config.Model.Layers;
        var buckets = new GradientBuckets(layers, config.GradientBytesPerParameter, config.BucketCapBytes, config.FirstBucketCapBytes);
        var forward = layers.Select(l => compute.LayerTime(l, Phase.Forward, config.MicroBatch)).ToArray();
        var backward = layers.Select(l => compute.LayerTime(l, Phase.Backward, config.MicroBatch)).ToArray();
        double optimizer = config.OptimizerSeconds ?? SyncDataParallel.OptimizerEstimate(compute, config.Model.Parameters);
        var coRun = CoRunComputeFactors.PerLayer(layers, host.CoRunComputeFactor, host.ConvCoRunFactor);
        _ownWork = config.Workers > 1
            ? forward.Select((f, i) => (f + backward[i]) * coRun[i]).Sum() + optimizer * host.CoRunComputeFactor
            : forward.Sum() + backward.Sum() + optimizer;
        _job = new CpuHostDataParallel(simulation, new SharedCpuHost(simulation, host.Cores, host.BackgroundGroupCores), config.Workers,
            config.Iterations, forward, backward, buckets, optimizer, host.AllReduceCpuSeconds, jitter: null,
            coRunComputeFactor: host.CoRunComputeFactor, allReduceWallSeconds: host.AllReduceWallSeconds, aloneCpuSeconds: host.AloneCpuSeconds,
            bufferBroadcastCpuSeconds: host.BufferBroadcastCpuSeconds, bufferBroadcastWallSeconds: host.BufferBroadcastWallSeconds, layerCoRunFactors: coRun,
            // DDP's cost per parameter tensor where every layer knows its tensors (else none), as `sim validate ddp` charges it
            bucketTensors: layers.All(l => l.ParameterTensors is not null) ? CpuHostDataParallel.TensorsPerBucket(buckets, layers.Select(l => l.ParameterTensors!.Value).ToArray()) : null,
            ddpCpuPerTensor: host.Tensors.CpuPerTensor(config.Workers), aloneBufferSyncCpuSeconds: host.Tensors.AloneBufferSyncCpuSeconds,
            aloneComputeThreadShare: host.Tensors.AloneComputeThreadShare,
            aloneCpuPerStepSeconds: config.Workers == 1 ? host.Tensors.AloneCpuPerStepSeconds : 0);
    }

    /// <summary>CPU work of one iteration over all workers without jitter, in core-seconds (<see cref="CpuHostDataParallel.CpuSecondsPerIteration"/>).</summary>
    public double CpuSecondsPerIteration => _job.CpuSecondsPerIteration;

    public void Start()
    {
        _start = _sim.Now;
        _job.Start();
    }

    public bool Finished => _job.IterationTimes.Count >= _cfg.Iterations;

    public TrainingResult Result()
    {
        if (!Finished) throw new InvalidOperationException("the job has not finished; run the simulation first");
        var times = _job.IterationTimes.ToArray();
        double compute = _ownWork * times.Length;
        return new TrainingResult
        {
            Strategy = "data parallel on a shared CPU host",
            Workers = _cfg.Workers,
            IterationTimes = times,
            SamplesPerIteration = (double)_cfg.Workers * _cfg.MicroBatch,
            TokensPerSample = _cfg.Model.TokensPerSample,
            FlopsPerSample = _cfg.Model.TrainingFlopsPerSample,
            PeakFlopsPerGpu = _compute.PeakFlops,
            JobTime = _sim.Now - _start,
            Breakdown = new Breakdown(compute, Math.Max(0, times.Sum() - compute), 0, 0, 0, 0),
            KernelEvents = _sim.EventsProcessed,
            Seed = _sim.Seed,
        };
    }
}
