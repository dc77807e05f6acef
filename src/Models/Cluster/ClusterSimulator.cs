namespace Sim.Models.Cluster;

/// <summary>
/// Runs a job stream through a shared GPU cluster under one scheduling policy. Between events every
/// job progresses at a constant rate (work units per second = speed x share), so the run is a
/// sequence of constant-rate intervals: at each event (an arrival, a completion, the end of a
/// checkpoint restore, a rank change the policy announces) the simulator advances all jobs, ranks
/// the jobs in the system, turns the ranking into allocations, re-prices the network if the set of
/// running gangs changed, and computes the next event as the earliest of those four.
/// <para>Gang mode: in rank order, a job that fits starts (placed by the placement policy); a job
/// that does not fit blocks all later ones unless backfilling; a preemptive policy stops running jobs
/// that the ranking no longer admits. Time-sliced mode: GPU shares are water-filled over rank
/// classes (equal primary rank shares equally, capped at the gang size).</para>
/// <para>Determinism: ranks tie-break on job id; the stream draws from named random streams; no
/// hash-order or wall-clock dependence.</para>
/// Failure behaviour: a job that could never run (more GPUs than the cluster has of its type, an
/// unknown type) throws <see cref="ArgumentException"/> when it arrives.
/// </summary>
public sealed class ClusterSimulator
{
    private readonly GpuCluster _cluster;
    private readonly IClusterScheduler _scheduler;
    private readonly ClusterSimulationOptions _o;
    private readonly IClusterNetwork? _network;
    private readonly List<JobState> _active = [];
    private readonly List<JobState> _ranked = [];
    private readonly List<JobState> _running = [];
    private readonly List<JobRecord> _records = [];
    private bool[] _desired = new bool[64];
    private double[] _scratch = new double[64];
    private int[] _typeFree;
    private readonly int[] _typeCapacity;
    private bool _placementsChanged;
    private int _fragmented;
    private double _timeSlicedBusy;

    public ClusterSimulator(GpuCluster cluster, IClusterScheduler scheduler, ClusterSimulationOptions? options = null, IClusterNetwork? network = null)
    {
        _cluster = cluster ?? throw new ArgumentNullException(nameof(cluster));
        _scheduler = scheduler ?? throw new ArgumentNullException(nameof(scheduler));
        _o = options ?? new ClusterSimulationOptions();
        _o.Validate();
        _network = network;
        _typeFree = new int[cluster.Types.Count];
        _typeCapacity = Enumerable.Range(0, cluster.Types.Count).Select(cluster.Capacity).ToArray();
    }

    /// <summary>Primary ranks this close count as equal (time-sliced classes; LAS catch-up).</summary>
    public static bool SamePrimary(double a, double b) => Math.Abs(a - b) <= 1e-9 * Math.Max(1, Math.Max(Math.Abs(a), Math.Abs(b)));

    /// <summary>Runs <paramref name="jobs"/> to the stop rule of the options; returns the outcome in memory.</summary>
    public ClusterOutcome Run(IJobSource jobs)
    {
        ArgumentNullException.ThrowIfNull(jobs);
        var series = new ClusterSeries(_o.SeriesBinSeconds);
        var outcome = new ClusterOutcome(_scheduler.Name, _cluster.TotalGpus, _records, series);
        bool hasNext = jobs.TryNext(out var next);
        long arrived = 0, measuredDone = 0;
        long measureEnd = _o.MeasuredJobs == long.MaxValue ? long.MaxValue : _o.WarmupJobs + _o.MeasuredJobs;
        double now = 0, firstArrival = double.NaN, lastFinish = 0;
        double lastArrival = double.NegativeInfinity;
        long events = 0;
        while (true)
        {
            events++;
            // Arrivals due now.
            while (hasNext && next.Arrival <= now)
            {
                if (next.Arrival < lastArrival) throw new ArgumentException($"job {next.Id} arrives at {next.Arrival}, before the previous arrival at {lastArrival}: streams must be in arrival order");
                lastArrival = next.Arrival;
                Admit(next, arrived++);
                hasNext = jobs.TryNext(out next);
            }
            // Completions due now.
            for (int i = _active.Count - 1; i >= 0; i--)
            {
                var j = _active[i];
                if (!IsFinished(j, now)) continue;
                if (j.Running) Stop(j, preempted: false);
                j.Finished = true;
                _active.RemoveAt(i);
                if (j.Index >= _o.WarmupJobs && j.Index < measureEnd)
                {
                    measuredDone++;
                    if (double.IsNaN(firstArrival) || j.Job.Arrival < firstArrival) firstArrival = j.Job.Arrival;
                    lastFinish = Math.Max(lastFinish, now);
                    _records.Add(new JobRecord(j.Job.Id, j.Job.DisplayName, j.Job.Arrival, j.Job.Gpus, j.Job.Work, j.Job.Work / j.IdealSpeed,
                        j.FirstStart, now, j.Preemptions, j.NodesSpanned, j.LeavesSpanned));
                }
            }
            if (_ranked.Count != _active.Count) _ranked.RemoveAll(j => j.Finished);
            if (measureEnd != long.MaxValue && measuredDone >= _o.MeasuredJobs) break;
            if (!hasNext && _active.Count == 0) break;

            Reschedule(now);

            double tNext = hasNext ? next.Arrival : double.PositiveInfinity;
            foreach (var j in _active)
            {
                if (!j.Running) continue;
                if (j.OverheadUntil > now) { tNext = Math.Min(tNext, j.OverheadUntil); continue; }
                double rate = j.ProgressRate(now);
                if (rate > 0) tNext = Math.Min(tNext, now + j.Remaining / rate);
            }
            double rankChange = _scheduler.NextRankChange(_ranked, now);
            if (rankChange > now) tNext = Math.Min(tNext, rankChange);
            if (double.IsPositiveInfinity(tNext))
                throw new InvalidOperationException($"bug: {_active.Count} jobs in the system at t={now} but no future event (scheduler {_scheduler.Name})");
            Advance(now, tNext, series, outcome);
            now = tNext;
        }
        outcome.EndTime = now;
        outcome.Makespan = double.IsNaN(firstArrival) ? 0 : lastFinish - firstArrival;
        outcome.JobsArrived = arrived;
        outcome.Events = events;
        outcome.NetworkSolves = _network is RingContention rc ? rc.Solves : 0;
        return outcome;
    }

    private static bool IsFinished(JobState j, double now)
    {
        if (j.Remaining <= 1e-9 * j.Job.Work) return true;
        double rate = j.ProgressRate(now);
        // A remainder too small to move the clock would otherwise never finish.
        return rate > 0 && now + j.Remaining / rate == now;
    }

    private void Admit(ClusterJob job, long index)
    {
        job.Validate();
        int type = -1;
        if (job.GpuType is not null)
        {
            type = _cluster.TypeIndex(job.GpuType);
            if (type < 0) throw new ArgumentException($"job {job.DisplayName} asks for GPU type '{job.GpuType}', which the cluster does not have (types: {string.Join(", ", _cluster.Types.Select(t => t.Name))})");
        }
        int capacity = _cluster.Capacity(type);
        if (job.Gpus > capacity) throw new ArgumentException($"job {job.DisplayName} asks for {job.Gpus} GPUs; the cluster has {capacity}{(type >= 0 ? $" of type {job.GpuType}" : "")}");
        var state = new JobState(job, index, type);
        double fastest = 0;
        for (int t = 0; t < _cluster.Types.Count; t++)
            if (type < 0 || t == type) fastest = Math.Max(fastest, _cluster.Types[t].Speed);
        state.IdealSpeed = SpeedOf(job, fastest, _network?.IdealBandwidth(job.Gpus) ?? double.PositiveInfinity);
        _active.Add(state);
        _ranked.Add(state);
    }

    private static double SpeedOf(ClusterJob job, double typeSpeed, double ringBandwidth)
    {
        if (job.Profile is not { } p) return typeSpeed;
        return 1 / p.IterationSeconds(job.Gpus, ringBandwidth, typeSpeed);
    }

    /// <summary>
    /// Orders the jobs in the system by (priority, id). The order persists between events and is
    /// repaired by insertion sort, because ranks rarely change much from one event to the next (an
    /// arrival, a completion, one job crossing a threshold): O(n + inversions) instead of O(n log n)
    /// per event. A ranking that changed wholesale falls back to a full sort.
    /// </summary>
    private void Rank(double now)
    {
        int n = _ranked.Count;
        if (_desired.Length < n)
        {
            int size = Math.Max(n, 2 * _desired.Length);
            _desired = new bool[size];
            _scratch = new double[size];
        }
        for (int i = 0; i < n; i++) _ranked[i].Rank = _scheduler.Priority(_ranked[i], now);
        long shifts = 0, budget = 8L * n + 64;
        for (int i = 1; i < n && shifts <= budget; i++)
        {
            var x = _ranked[i];
            int k = i - 1;
            while (k >= 0 && Before(x, _ranked[k])) { _ranked[k + 1] = _ranked[k]; k--; shifts++; }
            _ranked[k + 1] = x;
        }
        if (shifts > budget) _ranked.Sort(Compare);
    }

    private static bool Before(JobState a, JobState b) => Compare(a, b) < 0;

    private static int Compare(JobState a, JobState b)
    {
        int c = a.Rank.CompareTo(b.Rank);
        return c != 0 ? c : a.Job.Id.CompareTo(b.Job.Id);
    }

    private void Reschedule(double now)
    {
        Rank(now);
        if (_scheduler.Mode == SchedulingMode.TimeSliced) { ShareTimeSliced(now); return; }
        if (_scheduler.Preemptive) AllocatePreemptive(now);
        else AllocateNonPreemptive(now);
        if (_placementsChanged)
        {
            _placementsChanged = false;
            _running.Clear();
            foreach (var j in _active) if (j.Running) _running.Add(j);
            _network?.Assign(_running);
            foreach (var j in _running) j.Speed = SpeedOf(j.Job, j.TypeSpeed, j.RingBandwidth);
            _fragmented = _cluster.FragmentedFreeGpus;
        }
    }

    private bool FitsNow(JobState j) => _cluster.Free(j.TypeIndex) >= j.Job.Gpus;

    private void AllocatePreemptive(double now)
    {
        int n = _ranked.Count;
        int free = _cluster.TotalGpus;
        for (int t = 0; t < _typeFree.Length; t++) _typeFree[t] = _typeCapacity[t];
        bool blocked = false;
        for (int i = 0; i < n; i++)
        {
            var j = _ranked[i];
            int need = j.Job.Gpus;
            bool fits = !blocked && free >= need && (j.TypeIndex < 0 || _typeFree[j.TypeIndex] >= need);
            _desired[i] = fits;
            if (fits)
            {
                free -= need;
                if (j.TypeIndex >= 0) _typeFree[j.TypeIndex] -= need;
            }
            else if (!_o.Backfill) blocked = true;
        }
        for (int i = 0; i < n; i++)
            if (!_desired[i] && _ranked[i].Running) Stop(_ranked[i], preempted: true);
        for (int i = 0; i < n; i++)
            if (_desired[i] && !_ranked[i].Running && FitsNow(_ranked[i])) Start(_ranked[i], now);
    }

    private void AllocateNonPreemptive(double now)
    {
        JobState? head = null;
        double shadow = double.PositiveInfinity;
        int extra = 0;
        foreach (var j in _ranked)
        {
            if (j.Running) continue;
            if (FitsNow(j))
            {
                if (head is null) { Start(j, now); continue; }
                double end = now + j.EstimatedRemaining / j.IdealSpeed;
                if (end <= shadow) Start(j, now);
                else if (j.Job.Gpus <= extra) { extra -= j.Job.Gpus; Start(j, now); }
                continue;
            }
            if (head is not null) continue;
            head = j;
            if (!_o.Backfill) break;
            (shadow, extra) = Reservation(head, now);
        }
    }

    /// <summary>EASY's reservation for the blocked head job: the earliest estimated time enough GPUs
    /// are free, and how many GPUs beyond its need are free then.</summary>
    private (double Shadow, int Extra) Reservation(JobState head, double now)
    {
        // Running jobs by estimated end (ids break ties), in reused scratch arrays: no allocation per event.
        int m = 0;
        foreach (var r in _active)
        {
            if (!r.Running) continue;
            if (_reservationJobs.Length <= m)
            {
                Array.Resize(ref _reservationJobs, 2 * _reservationJobs.Length + m + 1);
                Array.Resize(ref _reservationEnds, _reservationJobs.Length);
            }
            double rate = r.Speed * r.Share;
            _reservationEnds[m] = Math.Max(r.OverheadUntil, now) + (rate > 0 ? r.EstimatedRemaining / rate : double.PositiveInfinity);
            _reservationJobs[m++] = r;
        }
        Array.Sort(_reservationEnds, _reservationJobs, 0, m, ReservationOrder);
        int free = _cluster.FreeGpus;
        for (int k = 0; k < m; k++)
        {
            free += _reservationJobs[k].Job.Gpus;
            if (free < head.Job.Gpus) continue;
            double shadow = _reservationEnds[k];
            // Every job ending at the same moment frees its GPUs then too: the answer does not depend
            // on how the sort ordered equal ends.
            for (int e = k + 1; e < m && _reservationEnds[e] == shadow; e++) free += _reservationJobs[e].Job.Gpus;
            return (shadow, free - head.Job.Gpus);
        }
        return (double.PositiveInfinity, 0);
    }

    private double[] _reservationEnds = new double[64];
    private JobState[] _reservationJobs = new JobState[64];
    private static readonly IComparer<double> ReservationOrder = Comparer<double>.Default;

    private void Start(JobState j, double now)
    {
        int type = j.TypeIndex;
        if (type < 0)
        {
            // Fastest type with room for the whole gang; a mix of types only if none has.
            double best = -1;
            for (int t = 0; t < _cluster.Types.Count; t++)
                if (_cluster.Free(t) >= j.Job.Gpus && _cluster.Types[t].Speed > best) { best = _cluster.Types[t].Speed; type = t; }
        }
        var gpus = _cluster.Allocate(j.Job.Gpus, _o.Placement, type);
        j.Placement = gpus;
        j.Running = true;
        j.Share = 1;
        double speed = double.PositiveInfinity;
        int nodes = 0, leaves = 0, lastNode = -1, lastLeaf = -1;
        foreach (int g in gpus)
        {
            int node = _cluster.NodeOf(g);
            if (node != lastNode) { nodes++; lastNode = node; speed = Math.Min(speed, _cluster.TypeOfNode(node).Speed); }
            int leaf = _cluster.LeafOf(g);
            if (leaf != lastLeaf) { leaves++; lastLeaf = leaf; }
        }
        j.TypeSpeed = speed;
        j.NodesSpanned = nodes;
        j.LeavesSpanned = leaves;
        if (double.IsNaN(j.FirstStart)) j.FirstStart = now;
        else j.OverheadUntil = now + _o.CheckpointSeconds + _o.RestoreSeconds;
        _network?.Attach(j);
        _placementsChanged = true;
    }

    private void Stop(JobState j, bool preempted)
    {
        if (j.Placement is { } gpus)
        {
            _network?.Detach(j);
            _cluster.Release(gpus);
            j.Placement = null;
            _placementsChanged = true;
        }
        j.Running = false;
        j.Share = 0;
        if (preempted) { j.Preemptions++; _preemptions++; }
    }

    private long _preemptions;

    private void ShareTimeSliced(double now)
    {
        double capacity = _cluster.TotalGpus;
        int n = _ranked.Count;
        int i = 0;
        _timeSlicedBusy = 0;
        while (i < n)
        {
            int k = i + 1;
            while (k < n && SamePrimary(_ranked[k].Rank.Primary, _ranked[i].Rank.Primary)) k++;
            double demand = 0;
            for (int m = i; m < k; m++) demand += _ranked[m].Job.Gpus;
            if (demand <= capacity)
            {
                for (int m = i; m < k; m++) SetShare(_ranked[m], 1, now);
                capacity -= demand;
            }
            else if (capacity > 0)
            {
                // Water-filling: smallest gangs first; each gets min(its size, an equal part of what is left).
                int count = k - i;
                for (int m = 0; m < count; m++) _scratch[m] = _ranked[i + m].Job.Gpus;
                var sizes = _scratch.AsSpan(0, count);
                sizes.Sort();
                double left = capacity, level = 0;
                int remaining = count;
                foreach (double g in sizes)
                {
                    double fair = left / remaining;
                    if (g <= fair) { left -= g; remaining--; }
                    else { level = fair; break; }
                }
                if (remaining == 0) level = double.PositiveInfinity;
                for (int m = i; m < k; m++)
                {
                    double g = _ranked[m].Job.Gpus;
                    SetShare(_ranked[m], Math.Min(g, level) / g, now);
                }
                capacity = 0;
            }
            else for (int m = i; m < k; m++) SetShare(_ranked[m], 0, now);
            i = k;
        }
        _timeSlicedBusy = _cluster.TotalGpus - capacity;
    }

    private static void SetShare(JobState j, double share, double now)
    {
        j.Share = share;
        j.Running = share > 0;
        j.Speed = j.IdealSpeed;
        if (j.Running && double.IsNaN(j.FirstStart)) j.FirstStart = now;
    }

    private void Advance(double from, double to, ClusterSeries series, ClusterOutcome outcome)
    {
        double dt = to - from;
        int waiting = 0;
        foreach (var j in _active)
        {
            if (!j.Running) { waiting++; continue; }
            double rate = j.ProgressRate(from);
            if (rate <= 0) continue;
            j.Remaining -= rate * dt;
            j.Attained += j.Job.Gpus * j.Share * dt;
        }
        double busy = _scheduler.Mode == SchedulingMode.TimeSliced ? _timeSlicedBusy : _cluster.BusyGpus;
        double fragmented = _scheduler.Mode == SchedulingMode.TimeSliced ? 0 : _fragmented;
        outcome.JobSecondsInSystem += _active.Count * dt;
        outcome.JobSecondsWaiting += waiting * dt;
        outcome.BusyGpuSeconds += busy * dt;
        outcome.FragmentedGpuSeconds += fragmented * dt;
        outcome.Preemptions = _preemptions;
        series.Add(from, to, busy, waiting, _active.Count, fragmented);
    }
}
