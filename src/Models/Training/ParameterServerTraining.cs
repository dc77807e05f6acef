using Sim.Core;
using Sim.Models.Compute;
using Sim.Models.Faults;
using Sim.Models.ParameterServers;

namespace Sim.Models.Training;

/// <summary>
/// Training with parameter servers, like a team editing a shared document through a secretary: each
/// worker fetches (pulls) the current parameters, computes a gradient on its micro-batch, and sends
/// (pushes) it to the servers, which fold it in. The consistency model decides who waits for whom:
/// BSP waits for every gradient each step (with backup workers, for the first n - k), ASP never waits,
/// SSP lets a worker run up to s steps ahead of the slowest (Ho et al., NIPS 2013). The staleness of
/// every applied update is recorded: how many other updates landed between its pull and its push.
/// Under BSP with a robust defence (Krum, median, ...; issue #18) a server cannot fold pushes in as they
/// arrive: it keeps the step's gradients of its shard, and when the last needed push is in, every server
/// runs the rule on its own shard (in parallel), so the step is released after the rule's measured time
/// for the largest shard.
/// </summary>
public sealed class ParameterServerTraining : ITrainingJob
{
    private readonly Simulation _sim;
    private readonly ParameterServerConfig _cfg;
    private readonly ParameterServerGroup _servers;
    private readonly StragglerState _stragglers;
    private readonly double _stepCompute;
    private readonly IComputeModel _compute;

    private readonly int[] _clock;
    private int _minClock;
    private Event _minClockAdvanced;
    private long _version;
    private readonly List<int> _staleness = new();
    private readonly List<int>[] _stalenessByWorker;
    private readonly List<double>[] _iterationTimesByWorker;
    private long _started;
    private readonly List<double> _iterationTimes = new();
    private double _computeTime, _commTime, _waitTime;
    private int _finishedWorkers;
    private double _jobTime = double.NaN;

    // BSP barrier state.
    private int _globalStep;
    private int _arrivals;
    private Event _stepReleased;
    private double _lastRelease;
    private readonly Action<long> _releaseStep;

    public ParameterServerTraining(Simulation simulation, ParameterServerConfig config, IComputeModel compute, ParameterServerGroup servers)
    {
        config.Validate();
        if (servers.Workers.Count != config.Workers) throw new ArgumentException($"the server group has {servers.Workers.Count} workers but training.workers is {config.Workers}");
        _sim = simulation;
        _cfg = config;
        _compute = compute;
        _servers = servers;
        _stragglers = new StragglerState(simulation, config.Stragglers, config.Workers);
        _stepCompute = config.Model.Layers.Sum(l => compute.LayerTime(l, Phase.Forward, config.MicroBatch) + compute.LayerTime(l, Phase.Backward, config.MicroBatch));
        _clock = new int[config.Workers];
        _stalenessByWorker = Enumerable.Range(0, config.Workers).Select(_ => new List<int>()).ToArray();
        _iterationTimesByWorker = Enumerable.Range(0, config.Workers).Select(_ => new List<double>()).ToArray();
        _minClockAdvanced = simulation.Event();
        _stepReleased = simulation.Event();
        _releaseStep = _ => ReleaseStep();
        DefenceSecondsPerStep = DefenceSeconds(config, servers.Sharding);
    }

    /// <summary>Seconds the servers spend on the robust rule at each BSP barrier (0 without one): the rule's
    /// cost on the step's n - k gradients of the largest shard's coordinates, servers working in parallel.</summary>
    public double DefenceSecondsPerStep { get; }

    private static double DefenceSeconds(ParameterServerConfig config, KeySharding sharding)
    {
        if (config.Defence is not { FitsInAllReduce: false } defence) return 0;
        long coordinates = (long)Math.Ceiling(sharding.BytesPerServer.Max() / config.GradientBytesPerParameter);
        return defence.AggregationSeconds(config.DefenceCosts, config.Workers - config.BackupWorkers, coordinates);
    }

    /// <summary>Gradient keys for sharding: one per layer that has parameters.</summary>
    public static KeySharding ShardModel(ParameterServerConfig config) =>
        new(config.Model.Layers.Where(l => l.Parameters > 0).Select(l => l.Parameters * config.GradientBytesPerParameter).ToArray(), config.Servers);

    public double StepComputeSeconds => _stepCompute;

    /// <summary>Staleness of each worker's updates, in order (asynchronous modes).</summary>
    public IReadOnlyList<IReadOnlyList<int>> StalenessByWorker => _stalenessByWorker;

    /// <summary>Each worker's step durations (asynchronous modes).</summary>
    public IReadOnlyList<IReadOnlyList<double>> IterationTimesByWorker => _iterationTimesByWorker;

    /// <summary>Which workers the straggler model made persistently slow.</summary>
    public bool IsSlowWorker(int w) => _stragglers.IsSlow(w);

    /// <summary>Convenience: a star network around the servers, the job, run to completion.</summary>
    public static (TrainingResult Result, ParameterServerTraining Job) Simulate(ParameterServerConfig config, IComputeModel compute,
        double workerBandwidth, double serverBandwidth, double latency, bool flowLevel, ulong seed)
    {
        var sim = new Simulation(seed);
        var topology = Network.SingleSwitch.Star(config.Workers, config.Servers, workerBandwidth, serverBandwidth, latency);
        Network.INetwork network = flowLevel ? new Network.FlowNetwork(sim, topology) : new Network.AnalyticalNetwork(sim, topology);
        var group = new ParameterServerGroup(network, Enumerable.Range(0, config.Workers).ToArray(),
            Enumerable.Range(config.Workers, config.Servers).ToArray(), ShardModel(config), config.AggregationBytesPerSecond);
        var job = new ParameterServerTraining(sim, config, compute, group);
        return (TrainingJob.RunToEnd(sim, job), job);
    }

    public bool Finished => !double.IsNaN(_jobTime);

    public void Start()
    {
        for (int w = 0; w < _cfg.Workers; w++)
            _sim.Process(_cfg.Consistency == PsConsistency.Bsp ? BspWorker(w) : StaleWorker(w), $"worker{w}");
    }

    public TrainingResult Result()
    {
        if (double.IsNaN(_jobTime)) throw new InvalidOperationException("the job has not finished; run the simulation first");
        int n = _cfg.Workers;
        string name = _cfg.Consistency switch
        {
            PsConsistency.Bsp => (_cfg.BackupWorkers > 0 ? $"parameter server BSP, {_cfg.BackupWorkers} backup workers" : "parameter server BSP")
                + (DefenceSecondsPerStep > 0 ? $", {_cfg.Defence!.Name} on the servers" : ""),
            PsConsistency.Asp => "parameter server ASP",
            _ => $"parameter server SSP (s={_cfg.Staleness})",
        };
        // Per-worker totals averaged over workers; the idle tail of early finishers counts as waiting.
        double compute = _computeTime / n, comm = _commTime / n;
        double wait = Math.Max(0, _jobTime - compute - comm);
        return new TrainingResult
        {
            Strategy = name,
            Workers = n,
            IterationTimes = _iterationTimes.ToArray(),
            // BSP: one global step serves n micro-batches. Async: n workers each finish a step per iteration time.
            SamplesPerIteration = (double)n * _cfg.MicroBatch,
            TokensPerSample = _cfg.Model.TokensPerSample,
            FlopsPerSample = _cfg.Model.TrainingFlopsPerSample,
            PeakFlopsPerGpu = _compute.PeakFlops,
            JobTime = _jobTime,
            Breakdown = new Breakdown(compute, comm, wait, 0, 0, 0),
            Staleness = _staleness.ToArray(),
            KernelEvents = _sim.EventsProcessed,
            Seed = _sim.Seed,
        };
    }

    /// <summary>
    /// Pull, compute, push, then wait at the step barrier. With k backup workers the barrier opens at
    /// the (n - k)-th push; a worker whose push arrives after that has its gradient dropped and joins
    /// the current step.
    /// </summary>
    private IEnumerable<Event> BspWorker(int w)
    {
        int needed = _cfg.Workers - _cfg.BackupWorkers;
        int step = 0;
        while (step < _cfg.Iterations)
        {
            double t = _sim.Now;
            yield return _servers.Pull(w);
            _commTime += _sim.Now - t;
            t = _sim.Now;
            yield return _sim.Sleep(_stragglers.Multiplier(w, _sim.Now) * _stepCompute);
            _computeTime += _sim.Now - t;
            bool late = step < _globalStep;
            t = _sim.Now;
            // A robust rule keeps the gradients and runs at the barrier instead of folding each one in.
            yield return _servers.Push(w, aggregate: !late && DefenceSecondsPerStep == 0);
            _commTime += _sim.Now - t;
            if (late) { step = _globalStep; continue; }
            if (++_arrivals == needed)
            {
                if (DefenceSecondsPerStep == 0) ReleaseStep();
                else _sim.Schedule(DefenceSecondsPerStep, _releaseStep, 0);
            }
            if (step == _globalStep - 1) { step = _globalStep; continue; } // this push released the step
            var released = _stepReleased;
            t = _sim.Now;
            yield return released;
            _waitTime += _sim.Now - t;
            step = _globalStep;
        }
        WorkerDone();
    }

    private void ReleaseStep()
    {
        _arrivals = 0;
        _globalStep++;
        _version++;
        _iterationTimes.Add(_sim.Now - _lastRelease);
        _lastRelease = _sim.Now;
        var released = _stepReleased;
        _stepReleased = _sim.Event();
        released.Succeed();
    }

    /// <summary>SSP (ASP is SSP with no bound): wait until at most s steps ahead of the slowest, pull,
    /// compute, push; the update's staleness is the number of updates applied since the pull. The job
    /// has a global budget of Workers x Iterations updates, so fast workers do more steps than slow ones,
    /// as in real asynchronous training.</summary>
    private IEnumerable<Event> StaleWorker(int w)
    {
        int bound = _cfg.Consistency == PsConsistency.Asp ? int.MaxValue : _cfg.Staleness;
        long budget = (long)_cfg.Workers * _cfg.Iterations;
        while (_started < budget)
        {
            double t0 = _sim.Now;
            while ((long)_clock[w] - _minClock > bound)
            {
                double t = _sim.Now;
                yield return _minClockAdvanced;
                _waitTime += _sim.Now - t;
            }
            if (_started >= budget) break;
            _started++;
            double tp = _sim.Now;
            long readVersion = _version;
            yield return _servers.Pull(w);
            _commTime += _sim.Now - tp;
            double tc = _sim.Now;
            yield return _sim.Sleep(_stragglers.Multiplier(w, _sim.Now) * _stepCompute);
            _computeTime += _sim.Now - tc;
            double tu = _sim.Now;
            yield return _servers.Push(w);
            _commTime += _sim.Now - tu;
            int staleness = (int)Math.Min(int.MaxValue, _version - readVersion);
            _staleness.Add(staleness);
            _stalenessByWorker[w].Add(staleness);
            _version++;
            _iterationTimes.Add(_sim.Now - t0);
            _iterationTimesByWorker[w].Add(_sim.Now - t0);
            AdvanceClock(w);
        }
        WorkerDone();
    }

    private void AdvanceClock(int w)
    {
        _clock[w]++;
        int min = int.MaxValue;
        foreach (int c in _clock) if (c < min) min = c;
        if (min > _minClock)
        {
            _minClock = min;
            var advanced = _minClockAdvanced;
            _minClockAdvanced = _sim.Event();
            advanced.Succeed();
        }
    }

    private void WorkerDone()
    {
        if (++_finishedWorkers == _cfg.Workers) _jobTime = _sim.Now;
    }
}
