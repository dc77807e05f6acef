namespace Sim.Models.Learning.Loop;

/// <summary>
/// Parameter-server SGD with asynchronous workers (Dean et al.'s Downpour; Li et al. 2014): each worker
/// reads the current parameters, computes a gradient of its own mini-batch, and pushes it; the server
/// applies every gradient as it arrives, at the rate for one worker's batch, however many versions old it
/// is by then (its staleness, counted exactly). With a staleness bound s (Stale Synchronous Parallel; Ho
/// et al., NeurIPS 2013) a worker may not start step c while some worker has finished fewer than c − s
/// steps; s = 0 is bulk-synchronous, and no bound is fully asynchronous (ASP).
/// </summary>
/// <remarks>A step costs a model pull, the compute and a gradient push over the worker's link. Only the
/// versions some worker is computing on are kept (<see cref="ParameterVersions"/>). With
/// <see cref="LoopConfig.StalenessAwareRate"/> a gradient τ &gt; 1 versions old gets rate / τ.</remarks>
public sealed class ParameterServerSgd : LoopStrategy
{
    /// <summary>Null: asynchronous (no bound); otherwise the SSP bound s &gt;= 0.</summary>
    public int? StalenessBound { get; init; }

    public override string Name => StalenessBound is int s ? (s == 0 ? "ps bsp (ssp s=0)" : $"ssp (s={s})") : "async (asp)";

    public override LoopOutcome Run(LoopConfig config)
    {
        if (StalenessBound is < 0) throw new InvalidOperationException($"the SSP staleness bound must be >= 0, got {StalenessBound}");
        return new Execution(config, StalenessBound).Run(Name);
    }

    /// <summary>One run's state; callbacks are cached delegates so events allocate nothing.</summary>
    private sealed class Execution
    {
        private readonly LoopRun _run;
        private readonly int? _bound;
        private readonly int _n, _b;
        private readonly ExampleSampler _data;
        private readonly int[] _batches, _slot;
        private readonly long[] _clock;
        private readonly bool[] _parked;
        private readonly double _transfer;
        private readonly Action<long> _arrive;
        private double _end;

        public Execution(LoopConfig config, int? bound)
        {
            _run = new LoopRun(config);
            _bound = bound;
            _n = config.Workers;
            _b = config.Batch;
            _data = new ExampleSampler(Enumerable.Range(0, _run.Model.TrainingExamples).ToArray(), _run.Sim.Random("learning.data"));
            _batches = new int[_n * _b];
            _slot = new int[_n];
            _clock = new long[_n];
            _parked = new bool[_n];
            _transfer = config.Timing.TransferSeconds(_run.Model.ParameterCount);
            _arrive = Arrive;
        }

        public LoopOutcome Run(string name)
        {
            _run.Begin();
            for (int w = 0; w < _n; w++) Start(w);
            _run.Sim.Run();
            return _run.Finish(name, _end);
        }

        private long MinClock()
        {
            long min = long.MaxValue;
            for (int w = 0; w < _n; w++) if (_clock[w] < min) min = _clock[w];
            return min;
        }

        private void Start(int w)
        {
            if (_run.Stopped) return;
            if (_bound is int s && _clock[w] > MinClock() + s) { _parked[w] = true; return; }
            _parked[w] = false;
            _slot[w] = _run.Versions.Pin();
            _data.Next(_batches.AsSpan(w * _b, _b));
            double now = _run.Sim.Now;
            _run.Sim.Schedule(_transfer + _run.StepSeconds(w, _b, now) + _transfer, _arrive, w);
        }

        private void Arrive(long worker)
        {
            int w = (int)worker;
            var versions = _run.Versions;
            if (_run.Stopped) { versions.Release(_slot[w]); return; }
            _run.ComputeGradient(versions.Parameters(_slot[w]), _batches.AsSpan(w * _b, _b), _run.Gradient);
            long staleness = versions.Version - versions.VersionOf(_slot[w]);
            double rate = _run.RateFor(_b);
            if (_run.Config.StalenessAwareRate) rate = LearningRateSchedule.StalenessAware(rate, (int)Math.Min(staleness, int.MaxValue));
            _run.ApplyDescent(_run.Gradient, rate);
            versions.Release(_slot[w]);
            _run.CountStaleness(staleness);
            _clock[w]++;
            _end = _run.Sim.Now;
            _run.AfterUpdate(_end);
            Start(w);
            if (_bound is not null)
                for (int v = 0; v < _n; v++) if (_parked[v]) Start(v);
        }
    }
}
