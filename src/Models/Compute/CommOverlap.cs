namespace Sim.Models.Compute;

/// <summary>
/// How long compute and communication take when they run at the same time on one GPU, with the
/// communication slowing the compute it overlaps (<see cref="CommInterference"/>): like two people
/// sharing one kitchen, each finishes later than alone, but together sooner than one after the other.
/// Generic closed forms for every overlap in the simulator: data-parallel gradient buckets behind the
/// backward pass, ZeRO-3/FSDP parameter all-gathers prefetched one unit ahead, tensor-parallel
/// collectives overlapped with GEMMs. Every method is pure and allocates nothing.
/// <para>Model: a compute span of <c>c</c> seconds (alone) and a collective of <c>m</c> seconds start together;
/// the collective runs at its own speed (it is bound by links, not by the SMs it holds) while the
/// compute runs at <c>r</c> of its speed until the collective ends, then at full speed. If the compute
/// finishes first (<c>c &lt;= r m</c>) the span is <c>m</c>; otherwise it is <c>m + (c - r m)</c>. Both cases:
/// span = max(m, c + (1 - r) m). With r = 1 (no interference) the exposed communication is the
/// familiar max(0, m - c).</para>
/// Contract: times must be finite and >= 0 and <c>r</c> in (0, 1]; anything else is refused with an
/// <see cref="ArgumentOutOfRangeException"/> (a negative time is a bug upstream, never clamped).
/// </summary>
public static class CommOverlap
{
    /// <summary>Seconds from the joint start of <paramref name="compute"/> seconds of compute (measured
    /// alone) and a <paramref name="comm"/>-second collective until both are done, the compute running at
    /// <paramref name="retainedSpeed"/> while the collective is in flight.</summary>
    public static double Span(double compute, double comm, double retainedSpeed = 1)
    {
        Check(compute, nameof(compute));
        Check(comm, nameof(comm));
        CheckSpeed(retainedSpeed);
        return Math.Max(comm, compute + (1 - retainedSpeed) * comm);
    }

    /// <summary>What the overlap adds to the compute alone: <see cref="Span"/> - compute, i.e.
    /// max(comm - compute, (1 - r) comm). With r = 1 this is max(0, comm - compute).</summary>
    public static double Exposed(double compute, double comm, double retainedSpeed = 1) =>
        Span(compute, comm, retainedSpeed) - compute;

    /// <summary>
    /// Seconds to run <paramref name="ops"/> in order when op i needs its own collective
    /// <paramref name="gathers"/>[i] finished first (a ZeRO-3/FSDP parameter all-gather) and the
    /// framework prefetches one op ahead: gather 0 runs alone, gather i + 1 is issued when op i starts, so
    /// op i + 1 starts at the end of <see cref="Span"/>(op i, gather i + 1). Closed form:
    /// gathers[0] + sum over i of Span(ops[i], gathers[i + 1]), with no gather after the last op.
    /// The two spans must have equal lengths.
    /// </summary>
    public static double PrefetchedSpan(ReadOnlySpan<double> ops, ReadOnlySpan<double> gathers, double retainedSpeed = 1)
    {
        if (ops.Length != gathers.Length)
            throw new ArgumentException($"ops ({ops.Length}) and gathers ({gathers.Length}) must have one entry each per op", nameof(gathers));
        if (ops.Length == 0) return 0;
        Check(gathers[0], "gathers[0]");
        double t = gathers[0];
        for (int i = 0; i < ops.Length; i++)
            t += Span(ops[i], i + 1 < gathers.Length ? gathers[i + 1] : 0, retainedSpeed);
        return t;
    }

    /// <summary>
    /// Seconds from the start of a backward pass of <paramref name="ops"/> (in execution order) until the
    /// last gradient collective ends, when collective i (<paramref name="collectives"/>[i], e.g. one DDP
    /// bucket's all-reduce) becomes ready as op i finishes and the collectives run one at a time in order
    /// on one communication stream (NCCL serialises them per communicator), slowing the compute they
    /// overlap to <paramref name="retainedSpeed"/>. A zero entry means no collective after that op.
    /// Simulated exactly, piecewise: the compute advances at r while a collective is in flight and at 1
    /// otherwise. The equal-length and non-negative contracts are as for <see cref="PrefetchedSpan"/>.
    /// </summary>
    public static double BucketedBackward(ReadOnlySpan<double> ops, ReadOnlySpan<double> collectives, double retainedSpeed = 1)
    {
        if (ops.Length != collectives.Length)
            throw new ArgumentException($"ops ({ops.Length}) and collectives ({collectives.Length}) must have one entry each per op", nameof(collectives));
        CheckSpeed(retainedSpeed);
        // now: end of the compute so far; commFree: when the communication stream is next idle. A
        // collective starts at max(its op's end, commFree), so after `now` the stream is busy without a
        // gap until commFree: the next op runs at r for that long (or until it finishes), then at 1.
        double now = 0, commFree = 0;
        for (int i = 0; i < ops.Length; i++)
        {
            Check(ops[i], $"ops[{i}]");
            Check(collectives[i], $"collectives[{i}]");
            // Advance the op through the comm-busy interval [now, commFree) at r, then at full speed.
            double work = ops[i];
            double busy = Math.Max(0, commFree - now);
            if (work <= retainedSpeed * busy) now += work / retainedSpeed;
            else now += busy + (work - retainedSpeed * busy);
            if (collectives[i] > 0) commFree = Math.Max(now, commFree) + collectives[i];
        }
        return Math.Max(now, commFree);
    }

    private static void Check(double seconds, string name)
    {
        if (!(seconds >= 0) || double.IsInfinity(seconds)) throw new ArgumentOutOfRangeException(name, seconds, "must be finite and >= 0");
    }

    private static void CheckSpeed(double retainedSpeed)
    {
        if (!(retainedSpeed > 0 && retainedSpeed <= 1)) throw new ArgumentOutOfRangeException(nameof(retainedSpeed), retainedSpeed, "must lie in (0, 1]");
    }
}
