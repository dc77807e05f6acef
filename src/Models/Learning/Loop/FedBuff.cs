namespace Sim.Models.Learning.Loop;

/// <summary>
/// Buffered asynchronous aggregation, FedBuff (Nguyen et al., "Federated Learning with Buffered
/// Asynchronous Aggregation", AISTATS 2022): <see cref="Concurrency"/> clients train at once, each on the
/// version it downloaded, for <see cref="LocalSteps"/> local steps; the server adds each returned model
/// delta to a buffer weighted by 1/√(1 + τ) (τ: versions since the client's download, the paper's
/// polynomial staleness scaling) and, once <see cref="BufferSize"/> deltas are in, applies their mean
/// times <see cref="ServerRate"/> as one new version. A finished client is replaced by a random idle one.
/// </summary>
public sealed class FedBuff : LoopStrategy
{
    public required int Concurrency { get; init; }
    public required int BufferSize { get; init; }
    public required int LocalSteps { get; init; }
    public double ServerRate { get; init; } = 1;
    public required IReadOnlyList<int[]> ClientShards { get; init; }

    public override string Name => $"fedbuff (C={Concurrency}, K={BufferSize}, E={LocalSteps})";

    /// <summary>The staleness weight 1/√(1 + τ).</summary>
    public static double StalenessWeight(long staleness) => 1 / Math.Sqrt(1 + staleness);

    public override LoopOutcome Run(LoopConfig config)
    {
        FederatedChecks.Validate(config, ClientShards, Concurrency, LocalSteps);
        if (BufferSize < 1) throw new InvalidOperationException($"FedBuff buffer size must be >= 1, got {BufferSize}");
        if (!(ServerRate > 0)) throw new InvalidOperationException($"FedBuff server rate must be > 0, got {ServerRate}");
        return new Execution(this, config).Run();
    }

    private sealed class Execution
    {
        private readonly FedBuff _s;
        private readonly LoopRun _run;
        private readonly ExampleSampler[] _streams;
        private readonly Core.Randomness.RandomStream _pick;
        private readonly bool[] _busy;
        private readonly int[] _slot;
        private readonly float[] _local, _buffer;
        private readonly int[] _batch;
        private readonly double _transfer;
        private readonly Action<long> _arrive;
        private int _buffered;
        private double _end;

        public Execution(FedBuff s, LoopConfig config)
        {
            _s = s;
            _run = new LoopRun(config);
            _streams = FederatedChecks.Streams(_run, s.ClientShards);
            _pick = _run.Sim.Random("learning.selection");
            _busy = new bool[config.Workers];
            _slot = new int[config.Workers];
            _local = new float[_run.Model.ParameterCount];
            _buffer = new float[_run.Model.ParameterCount];
            _batch = new int[config.Batch];
            _transfer = config.Timing.TransferSeconds(_run.Model.ParameterCount);
            _arrive = Arrive;
        }

        public LoopOutcome Run()
        {
            _run.Begin();
            for (int i = 0; i < _s.Concurrency; i++) StartIdleClient();
            _run.Sim.Run();
            return _run.Finish(_s.Name, _end);
        }

        private void StartIdleClient()
        {
            if (_run.Stopped) return;
            int n = _busy.Length, idle = 0;
            for (int c = 0; c < n; c++) if (!_busy[c]) idle++;
            if (idle == 0) return;
            long k = (long)_pick.NextBounded((ulong)idle);
            int chosen = -1;
            for (int c = 0; c < n; c++) if (!_busy[c] && k-- == 0) { chosen = c; break; }
            _busy[chosen] = true;
            _slot[chosen] = _run.Versions.Pin();
            double now = _run.Sim.Now, busy = 0;
            int size = Math.Min(_batch.Length, _s.ClientShards[chosen].Length);
            for (int step = 0; step < _s.LocalSteps; step++) busy += _run.StepSeconds(chosen, size, now + busy);
            _run.Sim.Schedule(_transfer + busy + _transfer, _arrive, chosen);
        }

        private void Arrive(long client)
        {
            int c = (int)client;
            var versions = _run.Versions;
            _busy[c] = false;
            if (_run.Stopped) { versions.Release(_slot[c]); return; }
            // The client's local training, replayed now on the snapshot it downloaded (results do not
            // depend on when the arithmetic runs, only on the version and the data).
            var start = versions.Parameters(_slot[c]);
            start.CopyTo(_local);
            int size = Math.Min(_batch.Length, _s.ClientShards[c].Length);
            float rate = (float)_run.Config.LearningRate;
            for (int step = 0; step < _s.LocalSteps; step++)
            {
                _streams[c].Next(_batch.AsSpan(0, size));
                _run.ComputeGradient(_local, _batch.AsSpan(0, size), _run.Gradient);
                for (int i = 0; i < _local.Length; i++) _local[i] -= rate * _run.Gradient[i];
            }
            long staleness = versions.Version - versions.VersionOf(_slot[c]);
            float weight = (float)StalenessWeight(staleness);
            for (int i = 0; i < _local.Length; i++) _buffer[i] += weight * (_local[i] - start[i]);
            versions.Release(_slot[c]);
            _run.CountStaleness(staleness);
            if (++_buffered == _s.BufferSize)
            {
                var x = versions.Current;
                float scale = (float)(_s.ServerRate / _s.BufferSize);
                for (int i = 0; i < x.Length; i++) x[i] += scale * _buffer[i];
                versions.Advance();
                Array.Clear(_buffer);
                _buffered = 0;
                _end = _run.Sim.Now;
                _run.AfterUpdate(_end);
            }
            StartIdleClient();
        }
    }
}
