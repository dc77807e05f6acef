using Sim.Core;
using Sim.Core.Timeline;
using Sim.Models.Collectives;
using Sim.Models.Compute;
using Sim.Models.Memory;
using Sim.Models.Network;

namespace Sim.Models.Training.Pipeline;

/// <summary>
/// Runs a pipeline schedule micro-batch by micro-batch, like an assembly line where each station works
/// through its own job list in order: a station starts its next job as soon as it is free and the part
/// it needs has arrived from the neighbouring station. Each device (pipeline stage: one tensor group
/// of t GPUs in lockstep) has one compute stream and its <see cref="PipelineSchedule"/> order.
/// <list type="bullet">
/// <item>A forward of virtual stage k needs the activation from stage k - 1; a backward needs the
/// gradient from stage k + 1 (the last stage's backward only its own forward, which precedes it).</item>
/// <item>Activations and gradients travel between stages over the <see cref="INetwork"/>: each of the
/// t tensor ranks sends to its peer (1/t of the tensor with scatter/gather, then an intra-node
/// all-gather on the receiver; the whole tensor without).</item>
/// <item>When a chunk's last backward finishes, its data-parallel gradient collective starts at once on
/// the network, overlapping the remaining backwards (t groups, one per tensor rank, each over the d
/// replicas' ranks times the c context-parallel ranks, which hold the same parameters). ZeRO-2 reduce-scatters after every backward instead (gradients are sharded, so
/// they cannot be accumulated locally).</item>
/// <item>ZeRO-3 runs as PyTorch FSDP does with one FSDP unit per layer: an op is its layers in turn
/// (backwards in reverse), each waiting for its own parameters' all-gather; the next unit's gather is
/// issued when a unit starts (one unit of prefetch: FSDP's backward_prefetch BACKWARD_PRE, and in
/// forward the rate limiter <c>limit_all_gathers</c>, which lets the CPU run at most one gather ahead of
/// the unit being computed); each unit's gradients are reduce-scattered when its backward ends. Gathers
/// and reduce-scatters share one process group and so run one at a time, in issue order, on its NCCL
/// stream (<see cref="UnitCollectiveQueue"/>).</item>
/// <item>While any of a device's data-parallel collectives is in flight (gradient all-reduce or
/// reduce-scatter, ZeRO-3 prefetch, overlapped parameter all-gather), its op runs at
/// <see cref="PipelineConfig.CommRetainedSpeed"/> (NCCL channels hold SMs,
/// <see cref="CommInterference"/>) and at full speed otherwise: the op's end is re-planned whenever
/// that changes (<see cref="CommOverlap"/>'s piecewise model).</item>
/// <item>The optimizer steps after every stage's gradients are reduced (Megatron's global gradient-norm
/// clipping needs them all); ZeRO-1/2 (Megatron's distributed optimizer) then all-gather the updated
/// parameters, ending the iteration, or, with <see cref="PipelineConfig.OverlapParamGather"/>, under the
/// next iteration's forwards, each chunk's first forward waiting for its own gather.</item>
/// </list>
/// Only data-parallel replica 0 runs its schedule; the other d - 1 replicas are identical (no stragglers
/// are modelled here), so their compute is not simulated, while the data-parallel collectives do span
/// every replica's ranks on the network. By default only replica 0's point-to-point transfers are on the
/// network (missing their contention with the gradient collectives); with
/// <see cref="PipelineConfig.AllReplicaTraffic"/> every replica's are, in lockstep.
/// Callbacks carry integer tokens; the per-op path allocates nothing (timeline recording aside).
/// </summary>
internal sealed class PipelineEngine
{
    private const int ForwardMessage = 0, BackwardMessage = 1;

    private readonly Simulation _sim;
    private readonly PipelineConfig _cfg;
    private readonly INetwork? _net;
    private readonly ParallelLayout _layout;
    private readonly StagePlan _plan;
    private readonly int _p, _m, _t, _vs, _gpusPerNode;
    private readonly PipelineOp[][] _order;
    private readonly double[] _optimizer;
    private readonly int[][] _dataGroups; // [device * t + tensor rank]

    // Per-iteration state.
    private readonly bool[] _forwardReady, _backwardReady; // [vs * m + mb]
    private readonly int[] _arrivalsPending;               // [(kind * vs + vs) * m + mb]
    private readonly double[] _sentAt;
    private readonly int[] _next, _outstanding, _backwardsDone;
    private readonly int[] _chunkGathersPending; // [device * v + chunk]: overlapped parameter all-gathers not yet done
    private readonly bool[] _busy, _synced;
    private readonly double[] _opStart, _computeEnd;
    private readonly double[] _opWorkLeft;  // the running op's remaining work, in seconds at full speed, as of _opRateSince
    private readonly double[] _opRateSince; // when the running op's speed last changed
    private readonly int[] _dpInFlight;     // the device's data-parallel collectives in flight (one per tensor rank)
    private readonly int[] _opGeneration; // bumped whenever a device's pending op end is superseded

    // ZeRO-3 (FSDP units, one per layer): empty arrays without.
    private readonly bool _units;
    private readonly int[][] _unitLayer = [];   // [device][q]: layer of the q-th unit in the device's order
    private readonly int[][] _opFirstUnit = []; // [device][k]: first unit of op k; [ops]: units in all
    private readonly double[] _forwardShare = [], _backwardShare = []; // [layer]: its share of its stage's op
    private readonly int[] _unit = [], _gathered = [], _gathersIssued = [], _streamRunning = [];
    private readonly double[] _opWait = [], _unitStart = [], _unitEnd = [];
    private readonly UnitCollectiveQueue[] _stream = [];
    private int _devicesSynced, _devicesDone;
    private double _iterationStart;
    private int _iteration;

    // Accounting (summed over iterations).
    private readonly double[] _busyCompute, _busyTensor, _idle, _inFlightBytes, _peakBytes;
    private readonly double[] _idleThisIteration, _busyAtStart, _tensorAtStart;
    private readonly int[] _inFlight, _peakInFlight;
    private readonly List<double> _iterationTimes = new();
    private double _breakdownCompute, _breakdownExposed, _breakdownBubble;
    private double _jobStart, _jobEnd = double.NaN;

    private readonly Action<long> _opDone, _arrived, _messageReady, _gradDone, _unitCommDone, _optimizerDone, _finalGatherDone, _chunkGatherDone, _embeddingDone;
    private readonly IReadOnlyList<int[]> _embeddingGroups; // first/last-stage pairs of the tied embedding (empty without)
    private int _embeddingPending; // the tied-embedding all-reduces of this iteration not yet done
    private bool _embeddingStarted;
    private readonly TimelineRecorder? _timeline;
    private readonly int[] _computeTrack = [], _recvTrack = [], _syncTrack = [];
    private readonly double[] _syncStart = [];

    public PipelineEngine(Simulation sim, PipelineConfig cfg, IComputeModel compute, INetwork? network, int gpusPerNode)
    {
        cfg.Validate();
        _sim = sim; _cfg = cfg; _net = network;
        _p = cfg.Stages; _m = cfg.Microbatches; _t = cfg.TensorParallel; _vs = cfg.VirtualStageCount;
        _gpusPerNode = gpusPerNode;
        _layout = new ParallelLayout(_t, _p, cfg.DataParallel, cfg.Order, cfg.ContextParallel);
        if (network is not null) _layout.Validate(gpusPerNode, network.Topology.EndpointCount);
        _plan = new StagePlan(cfg, compute, network, _layout);
        _order = new PipelineOp[_p][];
        for (int d = 0; d < _p; d++) _order[d] = PipelineSchedule.Order(cfg.Schedule, _p, _m, cfg.VirtualStages, d);
        _optimizer = new double[_p];
        for (int d = 0; d < _p; d++)
        {
            // Each tensor rank steps only its own 1/t of the device's parameters (DeviceParameters counts the whole tensor group).
            double shard = DeviceParameters(d) / _t / (cfg.Zero == ZeroStage.None ? 1 : cfg.GradientGroup);
            try { _optimizer[d] = cfg.OptimizerSeconds ?? SyncDataParallel.OptimizerEstimate(compute, shard); }
            catch (KeyNotFoundException e)
            {
                throw new ArgumentException($"training.optimizer_seconds: not given, and the compute model cannot time the optimizer step ({e.Message}); set it explicitly", e);
            }
        }
        _dataGroups = new int[_p * _t][];
        for (int d = 0; d < _p; d++)
            for (int j = 0; j < _t; j++) _dataGroups[d * _t + j] = _layout.DataGroup(j, d);

        int cells = _vs * _m;
        _forwardReady = new bool[cells]; _backwardReady = new bool[cells];
        _arrivalsPending = new int[2 * cells]; _sentAt = new double[2 * cells];
        _next = new int[_p]; _outstanding = new int[_p];
        _backwardsDone = new int[_vs];
        _chunkGathersPending = new int[_vs];
        _busy = new bool[_p]; _synced = new bool[_p];
        _opStart = new double[_p]; _computeEnd = new double[_p];
        _opWorkLeft = new double[_p]; _opRateSince = new double[_p]; _dpInFlight = new int[_p]; _opGeneration = new int[_p];
        _busyCompute = new double[_p]; _busyTensor = new double[_p]; _idle = new double[_p];
        _idleThisIteration = new double[_p]; _busyAtStart = new double[_p]; _tensorAtStart = new double[_p];
        _inFlightBytes = new double[_p]; _peakBytes = new double[_p]; _inFlight = new int[_p]; _peakInFlight = new int[_p];

        _opDone = OpDone; _arrived = Arrived; _messageReady = MessageReady; _gradDone = GradDone; _embeddingDone = EmbeddingDone;
        _embeddingGroups = network is not null && TiedEmbeddingSync.Applies(cfg) ? TiedEmbeddingSync.Groups(_layout) : [];
        _unitCommDone = UnitCommDone; _optimizerDone = OptimizerDone; _finalGatherDone = FinalGatherDone; _chunkGatherDone = ChunkGatherDone;

        _units = cfg.Zero == ZeroStage.Parameters && network is not null && cfg.GradientGroup > 1;
        if (_units)
        {
            var layers = cfg.Model.Layers.Count;
            _forwardShare = new double[layers]; _backwardShare = new double[layers];
            for (int s = 0; s < _vs; s++)
            {
                FillShares(_plan.LayerForward, s, _forwardShare);
                FillShares(_plan.LayerBackward, s, _backwardShare);
            }
            _unitLayer = new int[_p][]; _opFirstUnit = new int[_p][];
            _stream = new UnitCollectiveQueue[_p];
            for (int d = 0; d < _p; d++)
            {
                var ops = _order[d];
                _opFirstUnit[d] = new int[ops.Length + 1];
                for (int k = 0; k < ops.Length; k++)
                {
                    int v = ops[k].Chunk * _p + d;
                    _opFirstUnit[d][k + 1] = _opFirstUnit[d][k] + _plan.Bounds[v + 1] - _plan.Bounds[v];
                }
                _unitLayer[d] = new int[_opFirstUnit[d][ops.Length]];
                for (int k = 0; k < ops.Length; k++)
                {
                    int v = ops[k].Chunk * _p + d, first = _plan.Bounds[v], last = _plan.Bounds[v + 1] - 1;
                    for (int u = 0; u < last - first + 1; u++) _unitLayer[d][_opFirstUnit[d][k] + u] = ops[k].IsForward ? first + u : last - u;
                }
                _stream[d] = new UnitCollectiveQueue(_unitLayer[d].Length + 2);
            }
            _unit = new int[_p]; _gathered = new int[_p]; _gathersIssued = new int[_p]; _streamRunning = new int[_p];
            _opWait = new double[_p]; _unitStart = new double[_p]; _unitEnd = new double[_p];
        }

        _timeline = sim.Timeline;
        if (_timeline is not null)
        {
            _computeTrack = new int[_p]; _recvTrack = new int[_p]; _syncTrack = new int[_p]; _syncStart = new double[_p];
            for (int d = 0; d < _p; d++) _computeTrack[d] = _timeline.Track($"stage {d}", "compute");
            for (int d = 0; d < _p; d++)
            {
                _recvTrack[d] = _timeline.Track($"stage {d}", "p2p receive");
                _syncTrack[d] = _timeline.Track($"stage {d}", "data-parallel sync");
            }
        }
    }

    /// <summary>Op k of device d runs as FSDP units (ZeRO-3 on the network, and its virtual stage has layers).</summary>
    private bool HasUnits(int d, int k) => _units && _opFirstUnit[d][k + 1] > _opFirstUnit[d][k];

    /// <summary>Each layer's share of its virtual stage s's op: by its compute, equal if the stage has none.</summary>
    private void FillShares(double[] perLayer, int s, double[] shares)
    {
        int first = _plan.Bounds[s], end = _plan.Bounds[s + 1];
        double sum = 0;
        for (int j = first; j < end; j++) sum += perLayer[j];
        for (int i = first; i < end; i++) shares[i] = sum > 0 ? perLayer[i] / sum : 1.0 / (end - first);
    }

    public StagePlan Plan => _plan;
    public ParallelLayout Layout => _layout;
    public IReadOnlyList<double> IterationTimes => _iterationTimes;
    public bool Finished => !double.IsNaN(_jobEnd);
    public double JobTime => _jobEnd - _jobStart;
    public double BreakdownCompute => _breakdownCompute;
    public double BreakdownExposed => _breakdownExposed;
    public double BreakdownBubble => _breakdownBubble;
    public double BusyCompute(int d) => _busyCompute[d];
    public double BusyTensor(int d) => _busyTensor[d];
    public double Idle(int d) => _idle[d];
    public double PeakActivationBytes(int d) => _peakBytes[d];
    public int PeakInFlight(int d) => _peakInFlight[d];
    public double OptimizerSeconds(int d) => _optimizer[d];

    /// <summary>Parameters of all chunks of device <paramref name="d"/> (whole tensor group).</summary>
    public double DeviceParameters(int d)
    {
        double sum = 0;
        for (int c = 0; c < _cfg.VirtualStages; c++) sum += _plan.Parameters[c * _p + d];
        return sum;
    }

    /// <summary>FP8-linear weight parameters of all chunks of device <paramref name="d"/> (whole tensor group).</summary>
    public double DeviceFp8Parameters(int d)
    {
        double sum = 0;
        for (int c = 0; c < _cfg.VirtualStages; c++) sum += _plan.Fp8Parameters[c * _p + d];
        return sum;
    }

    /// <summary>Bytes all chunks of device <paramref name="d"/> move in a parameter all-gather (whole tensor group).</summary>
    public double DeviceGatherBytes(int d)
    {
        double sum = 0;
        for (int c = 0; c < _cfg.VirtualStages; c++) sum += _plan.ParameterGatherBytes(c * _p + d);
        return sum;
    }

    public void Start()
    {
        _jobStart = _sim.Now;
        BeginIteration();
    }

    private bool DataParallelOnNetwork => _net is not null && _cfg.GradientGroup > 1;

    private void BeginIteration()
    {
        _iterationStart = _sim.Now;
        Array.Clear(_forwardReady); Array.Clear(_backwardReady); Array.Clear(_arrivalsPending);
        Array.Clear(_backwardsDone); Array.Clear(_synced);
        _devicesSynced = _devicesDone = 0;
        _embeddingPending = _embeddingGroups.Count; _embeddingStarted = false;
        for (int d = 0; d < _p; d++)
        {
            _next[d] = 0;
            _outstanding[d] = 1; // the compute itself
            _computeEnd[d] = _sim.Now;
            if (_units)
            {
                _unit[d] = 0; _gathered[d] = 0; _gathersIssued[d] = 0;
                _stream[d].Clear();
                IssueUnitGather(d);
            }
        }
        for (int d = 0; d < _p; d++) TryStart(d);
    }

    private void TryStart(int d)
    {
        if (_busy[d]) return;
        var ops = _order[d];
        int k = _next[d];
        if (k >= ops.Length) return;
        var op = ops[k];
        int vs = op.Chunk * _p + d;
        int cell = vs * _m + op.Microbatch;
        if (op.IsForward ? vs > 0 && !_forwardReady[cell] : vs < _vs - 1 && !_backwardReady[cell]) return;
        if (op.IsForward && _chunkGathersPending[d * _cfg.VirtualStages + op.Chunk] > 0) return; // its parameters are still being gathered
        double duration = _plan.Duration(op.IsForward, vs);
        bool opStarts = true;
        if (HasUnits(d, k))
        {
            int q = _opFirstUnit[d][k] + _unit[d];
            if (_gathered[d] <= q) return; // this unit's parameters are still being gathered
            // The next unit's gather is issued before the device counts as busy: the unit below is
            // planned at the speed the gather leaves it.
            if (_gathersIssued[d] == q + 1 && q + 1 < _unitLayer[d].Length) IssueUnitGather(d);
            int layer = _unitLayer[d][q];
            duration *= op.IsForward ? _forwardShare[layer] : _backwardShare[layer];
            opStarts = _unit[d] == 0;
            if (!opStarts) _opWait[d] += _sim.Now - _unitEnd[d];
            _unitStart[d] = _sim.Now;
        }
        _busy[d] = true;
        if (opStarts)
        {
            _opStart[d] = _sim.Now;
            if (_units) _opWait[d] = 0;
            if (op.IsForward) Allocate(d, _plan.ActivationBytes[vs]);
        }
        _opWorkLeft[d] = duration;
        _opRateSince[d] = _sim.Now;
        _sim.Schedule(duration / Speed(d), _opDone, OpToken(d));
    }

    /// <summary>Speed device d's compute runs at now: <see cref="PipelineConfig.CommRetainedSpeed"/> while
    /// one of its data-parallel collectives is in flight, else 1.</summary>
    private double Speed(int d) => _dpInFlight[d] > 0 ? _cfg.CommRetainedSpeed : 1;

    /// <summary>Device d's data-parallel collectives in flight change by <paramref name="delta"/>; if that
    /// changes its speed while an op runs, the work done so far is booked at the old speed and the op's
    /// end re-planned at the new one (the stale end event is recognised by its generation and ignored).</summary>
    private void ChangeCommInFlight(int d, int delta)
    {
        double before = Speed(d);
        _dpInFlight[d] += delta;
        double after = Speed(d);
        if (!_busy[d] || before == after) return;
        double now = _sim.Now;
        _opWorkLeft[d] = Math.Max(0, _opWorkLeft[d] - before * (now - _opRateSince[d]));
        _opRateSince[d] = now;
        _opGeneration[d]++;
        _sim.Schedule(_opWorkLeft[d] / after, _opDone, OpToken(d));
    }

    /// <summary>Device index in the low 32 bits, the device's op generation above: an op end scheduled
    /// before a reschedule carries an old generation.</summary>
    private long OpToken(int d) => (uint)d | ((long)_opGeneration[d] << 32);

    private void Allocate(int d, double bytes)
    {
        _inFlightBytes[d] += bytes;
        _inFlight[d]++;
        if (_inFlightBytes[d] > _peakBytes[d]) _peakBytes[d] = _inFlightBytes[d];
        if (_inFlight[d] > _peakInFlight[d]) _peakInFlight[d] = _inFlight[d];
    }

    private void OpDone(long token)
    {
        int d = (int)(token & 0xffffffff);
        if ((int)(token >> 32) != _opGeneration[d]) return; // superseded by a reschedule
        _opGeneration[d]++;
        var op = _order[d][_next[d]];
        int vs = op.Chunk * _p + d, mb = op.Microbatch;
        if (HasUnits(d, _next[d]))
        {
            int k = _next[d], q = _opFirstUnit[d][k] + _unit[d];
            _busy[d] = false; // first: the reduce-scatter below must not re-plan the unit that just ended
            if (_timeline is not null) RecordUnit(d, op, _unitLayer[d][q]);
            if (!op.IsForward) IssueUnitReduceScatter(d, _unitLayer[d][q]);
            if (++_unit[d] < _opFirstUnit[d][k + 1] - _opFirstUnit[d][k])
            {
                // The op goes on with its next unit, once that unit's parameters are gathered.
                _unitEnd[d] = _sim.Now;
                TryStart(d);
                return;
            }
            _unit[d] = 0;
        }
        double now = _sim.Now, duration = now - _opStart[d] - (_units ? _opWait[d] : 0);
        double tensor = op.IsForward ? _plan.ForwardTensorComm[vs] : _plan.BackwardTensorComm[vs];
        _busyTensor[d] += tensor;
        _busyCompute[d] += duration - tensor;
        _busy[d] = false;
        _next[d]++;
        _computeEnd[d] = now;
        if (_timeline is not null && !HasUnits(d, _next[d] - 1)) RecordOp(d, op, vs); // FSDP units were recorded one by one

        if (op.IsForward)
        {
            if (vs < _vs - 1) Send(ForwardMessage, vs, mb);
            else _backwardReady[vs * _m + mb] = true;
        }
        else
        {
            _inFlightBytes[d] -= _plan.ActivationBytes[vs];
            _inFlight[d]--;
            if (vs > 0) Send(BackwardMessage, vs, mb);
            _backwardsDone[vs]++;
            if (DataParallelOnNetwork)
            {
                if (_cfg.Zero == ZeroStage.Gradients) StartGradientCollective(d, vs, CollectiveKind.ReduceScatter);
                else if (_cfg.Zero < ZeroStage.Gradients && _backwardsDone[vs] == _m && _cfg.OverlapGradReduce) // ZeRO-3: per unit
                    StartGradientCollective(d, vs, ChunkGradientCollective);
            }
        }
        if (_next[d] == _order[d].Length)
        {
            // Without overlap_grad_reduce every chunk's reduction starts after the device's last backward.
            if (DataParallelOnNetwork && _cfg.Zero < ZeroStage.Gradients && !_cfg.OverlapGradReduce)
                for (int c = 0; c < _cfg.VirtualStages; c++) StartGradientCollective(d, c * _p + d, ChunkGradientCollective);
            CompleteOne(d);
        }
        else TryStart(d);
    }

    /// <summary>One FSDP unit (layer) of an op on the compute track; the gaps between units are waits for gathers.</summary>
    private void RecordUnit(int d, PipelineOp op, int layer) =>
        _timeline!.Span(_computeTrack[d], op.Label(_cfg.VirtualStages > 1) + " L" + layer, _unitStart[d], _sim.Now, op.IsForward ? "forward" : "backward");

    private void RecordOp(int d, PipelineOp op, int vs)
    {
        bool chunks = _cfg.VirtualStages > 1;
        double start = _opStart[d], end = _sim.Now;
        double recompute = op.IsForward ? 0 : _plan.RecomputeCompute[vs];
        if (recompute > 0)
        {
            _timeline!.Span(_computeTrack[d], "R m" + op.Microbatch + (chunks ? ".c" + op.Chunk : ""), start, start + recompute, "recompute");
            start += recompute;
        }
        _timeline!.Span(_computeTrack[d], op.Label(chunks), start, end, op.IsForward ? "forward" : "backward");
    }

    /// <summary>Sends the activation (forward) from virtual stage vs to vs + 1, or the gradient
    /// (backward) from vs to vs - 1, from each tensor and context rank of replica 0 to its peer.</summary>
    private void Send(int kind, int vs, int mb)
    {
        int to = kind == ForwardMessage ? vs + 1 : vs - 1;
        int boundary = kind == ForwardMessage ? vs : vs - 1;
        long token = ((long)kind * _vs + to) * _m + mb;
        int srcDevice = vs % _p, dstDevice = to % _p;
        if (_net is null || srcDevice == dstDevice) { SetReady(token); return; }
        double bytes = _plan.SendBytes[boundary] / (_cfg.ScatterGather ? _t : 1);
        int replicas = _cfg.AllReplicaTraffic ? _cfg.DataParallel : 1, cp = _cfg.ContextParallel;
        _arrivalsPending[token] = _t * cp * replicas;
        _sentAt[token] = _sim.Now;
        for (int r = 0; r < replicas; r++)
            for (int c = 0; c < cp; c++)
                for (int j = 0; j < _t; j++)
                    _net.Transfer(bytes, _layout.Rank(j, srcDevice, r, c), _layout.Rank(j, dstDevice, r, c), _arrived, token);
    }

    private void Arrived(long token)
    {
        if (--_arrivalsPending[token] > 0) return;
        int kind = (int)(token / ((long)_vs * _m));
        int to = (int)(token / _m % _vs);
        int boundary = kind == ForwardMessage ? to - 1 : to;
        double gather = _plan.GatherSeconds[boundary];
        if (gather > 0) _sim.Schedule(gather, _messageReady, token);
        else MessageReady(token);
    }

    /// <summary>A message that crossed the network (and was all-gathered) is usable: record it, then mark it ready.</summary>
    private void MessageReady(long token)
    {
        if (_timeline is not null)
        {
            int kind = (int)(token / ((long)_vs * _m));
            int cell = (int)(token % ((long)_vs * _m));
            int to = cell / _m;
            _timeline.Span(_recvTrack[to % _p], (kind == ForwardMessage ? "act m" : "grad m") + (cell % _m) + (_cfg.VirtualStages > 1 ? ".c" + to / _p : ""),
                _sentAt[token], _sim.Now, "p2p");
        }
        SetReady(token);
    }

    private void SetReady(long token)
    {
        int kind = (int)(token / ((long)_vs * _m));
        int cell = (int)(token % ((long)_vs * _m));
        if (kind == ForwardMessage) _forwardReady[cell] = true; else _backwardReady[cell] = true;
        TryStart(cell / _m % _p);
    }

    private CollectiveAlgorithm AlgorithmFor(CollectiveKind kind) =>
        CollectiveFactory.Supported(kind).Contains(_cfg.GradientAlgorithm) ? _cfg.GradientAlgorithm : CollectiveAlgorithm.Ring;

    private void StartCollectives(int d, CollectiveKind kind, double bytesPerGpu, Action<long> onDone)
    {
        if (_timeline is not null && _outstanding[d] <= 1) _syncStart[d] = _sim.Now;
        for (int j = 0; j < _t; j++)
        {
            _outstanding[d]++;
            ChangeCommInFlight(d, 1);
            CollectiveFactory.Create(kind, AlgorithmFor(kind), _net!, _dataGroups[d * _t + j], bytesPerGpu, _gpusPerNode).Start(onDone, d);
        }
    }

    /// <summary>A whole chunk's gradients: all-reduced, or reduce-scattered to their optimizer shards.
    /// DeepSpeed's BF16 optimizer all-reduces its whole fp32 buffers even under its ZeRO-1 sharding
    /// (<c>_bf16_reduce_grads</c>), then each rank steps its own partition.</summary>
    private CollectiveKind ChunkGradientCollective =>
        _cfg.Zero == ZeroStage.None || _cfg.Fp32GradientAccumulation ? CollectiveKind.AllReduce : CollectiveKind.ReduceScatter;

    private void StartGradientCollective(int d, int vs, CollectiveKind kind) =>
        StartCollectives(d, kind, _plan.Parameters[vs] / _t * _cfg.GradientBytesPerParameter, _gradDone);

    private void GradDone(long token)
    {
        ChangeCommInFlight((int)token, -1);
        CompleteOne((int)token);
    }

    /// <summary>One outstanding piece of device d's backward work (its compute, or a gradient
    /// collective) finished; when none is left the device's gradients are reduced.</summary>
    private void CompleteOne(int d)
    {
        if (--_outstanding[d] > 0 || _synced[d]) return;
        _synced[d] = true;
        if (_timeline is not null && DataParallelOnNetwork && _syncStart[d] < _sim.Now)
            _timeline.Span(_syncTrack[d], ChunkGradientCollective == CollectiveKind.AllReduce ? "grad all-reduce" : "grad reduce-scatter", _syncStart[d], _sim.Now, "dp");
        if (!_embeddingStarted && _embeddingPending > 0 && _synced[0] && _synced[_p - 1]) StartEmbeddingSync();
        if (++_devicesSynced < _p || _embeddingPending > 0) return;
        StepOptimizers();
    }

    /// <summary>The first and last stages' data-parallel reductions are done: all-reduce their tied
    /// embedding copies' gradients (<see cref="TiedEmbeddingSync"/>).</summary>
    private void StartEmbeddingSync()
    {
        _embeddingStarted = true;
        double bytes = TiedEmbeddingSync.BytesPerRank(_cfg);
        for (int g = 0; g < _embeddingGroups.Count; g++)
            CollectiveFactory.Create(CollectiveKind.AllReduce, AlgorithmFor(CollectiveKind.AllReduce), _net!, _embeddingGroups[g], bytes, _gpusPerNode).Start(_embeddingDone, g);
    }

    private void EmbeddingDone(long token)
    {
        if (--_embeddingPending > 0 || _devicesSynced < _p) return;
        StepOptimizers();
    }

    /// <summary>Every stage is reduced (and the tied embeddings synchronised): the pipeline is flushed.
    /// Account the bubble, then step the optimizer.</summary>
    private void StepOptimizers()
    {
        double span = Max(_computeEnd) - _iterationStart;
        for (int k = 0; k < _p; k++) _idleThisIteration[k] = span - (_busyCompute[k] - _busyAtStart[k]) - (_busyTensor[k] - _tensorAtStart[k]);
        for (int k = 0; k < _p; k++) _sim.Schedule(_optimizer[k], _optimizerDone, k);
    }


    private void OptimizerDone(long token)
    {
        int d = (int)token;
        if (_timeline is not null && _optimizer[d] > 0) _timeline.Span(_computeTrack[d], "optimizer", _sim.Now - _optimizer[d], _sim.Now, "optimizer");
        if (DataParallelOnNetwork && _cfg.Zero is (ZeroStage.OptimizerStates or ZeroStage.Gradients) && _cfg.OverlapParamGather)
        {
            // Each chunk's updated parameters gather under the next iteration; its first forward waits for them.
            for (int c = 0; c < _cfg.VirtualStages; c++)
            {
                int chunk = d * _cfg.VirtualStages + c;
                _chunkGathersPending[chunk] = _t;
                double bytes = _plan.ParameterGatherBytes(c * _p + d) / _t;
                for (int j = 0; j < _t; j++)
                {
                    ChangeCommInFlight(d, 1);
                    CollectiveFactory.Create(CollectiveKind.AllGather, AlgorithmFor(CollectiveKind.AllGather), _net!, _dataGroups[d * _t + j], bytes, _gpusPerNode)
                        .Start(_chunkGatherDone, chunk);
                }
            }
            DeviceDone(d);
        }
        else if (DataParallelOnNetwork && _cfg.Zero is ZeroStage.OptimizerStates or ZeroStage.Gradients)
        {
            _outstanding[d] = 0;
            if (_timeline is not null) _syncStart[d] = _sim.Now;
            StartCollectives(d, CollectiveKind.AllGather, DeviceGatherBytes(d) / _t, _finalGatherDone);
        }
        else DeviceDone(d);
    }

    private void FinalGatherDone(long token)
    {
        int d = (int)token;
        ChangeCommInFlight(d, -1);
        if (--_outstanding[d] > 0) return;
        if (_timeline is not null) _timeline.Span(_syncTrack[d], "param all-gather", _syncStart[d], _sim.Now, "dp");
        DeviceDone(d);
    }

    private void ChunkGatherDone(long token)
    {
        int chunk = (int)token;
        ChangeCommInFlight(chunk / _cfg.VirtualStages, -1);
        if (--_chunkGathersPending[chunk] > 0) return;
        TryStart(chunk / _cfg.VirtualStages);
    }

    /// <summary>Queues the all-gather of device d's next unit's parameters on its FSDP stream.</summary>
    private void IssueUnitGather(int d)
    {
        _stream[d].Push(gather: true, _unitLayer[d][_gathersIssued[d]++]);
        if (_streamRunning[d] == 0) StartStreamHead(d);
    }

    /// <summary>Queues the reduce-scatter of one unit's gradients, which the device's gradient sync then waits for.</summary>
    private void IssueUnitReduceScatter(int d, int layer)
    {
        if (_timeline is not null && _outstanding[d] <= 1) _syncStart[d] = _sim.Now;
        _outstanding[d]++;
        _stream[d].Push(gather: false, layer);
        if (_streamRunning[d] == 0) StartStreamHead(d);
    }

    /// <summary>Runs the collective at the head of device d's FSDP stream: one per tensor rank, each over its data group.</summary>
    private void StartStreamHead(int d)
    {
        var (gather, layer) = _stream[d].Peek();
        var kind = gather ? CollectiveKind.AllGather : CollectiveKind.ReduceScatter;
        double bytes = gather ? _plan.LayerGatherBytes[layer] / _t : _plan.LayerParameters[layer] / _t * _cfg.GradientBytesPerParameter;
        _streamRunning[d] = _t;
        for (int j = 0; j < _t; j++)
        {
            ChangeCommInFlight(d, 1);
            CollectiveFactory.Create(kind, AlgorithmFor(kind), _net!, _dataGroups[d * _t + j], bytes, _gpusPerNode).Start(_unitCommDone, d);
        }
    }

    private void UnitCommDone(long token)
    {
        int d = (int)token;
        ChangeCommInFlight(d, -1);
        if (--_streamRunning[d] > 0) return;
        bool gather = _stream[d].Peek().Gather;
        _stream[d].Pop();
        if (_stream[d].Count > 0) StartStreamHead(d);
        if (gather)
        {
            _gathered[d]++;
            TryStart(d);
        }
        else CompleteOne(d);
    }

    private void DeviceDone(int d)
    {
        if (++_devicesDone < _p) return;
        double now = _sim.Now, took = now - _iterationStart;
        _iterationTimes.Add(took);
        double compute = 0, bubble = 0;
        for (int k = 0; k < _p; k++)
        {
            double busy = _busyCompute[k] - _busyAtStart[k];
            compute += busy + _optimizer[k];
            bubble += _idleThisIteration[k];
            _idle[k] += _idleThisIteration[k];
            _busyAtStart[k] = _busyCompute[k];
            _tensorAtStart[k] = _busyTensor[k];
        }
        compute /= _p; bubble /= _p;
        _breakdownCompute += compute;
        _breakdownBubble += bubble;
        _breakdownExposed += took - compute - bubble;
        if (++_iteration < _cfg.Iterations) BeginIteration();
        else _jobEnd = now;
    }

    private static double Max(double[] xs)
    {
        double m = double.NegativeInfinity;
        foreach (var x in xs) m = Math.Max(m, x);
        return m;
    }
}
