namespace Sim.Calibration.Fitting;

/// <summary>
/// What DDP's buffer broadcast costs per iteration: with <c>broadcast_buffers=True</c> (PyTorch's default)
/// DistributedDataParallel broadcasts the module's buffers (BatchNorm's running mean and variance and its
/// batch counter) from rank 0 before every forward and waits for it (torch 1.13:
/// <c>DistributedDataParallel._sync_buffers</c> -> <c>_distributed_broadcast_coalesced</c>, one flattened
/// message per dtype, at most two in flight at once). Charged as one collective of all the buffer bytes.
/// The profiler has no gloo broadcast measurement, so the measured isolated gloo all-reduce of the same
/// bytes stands in (the link's wall line and its per-rank CPU line): with two ranks a ring all-reduce
/// moves the same bytes per rank as a broadcast moves to its one receiver, in two steps where a broadcast
/// takes one, so the stand-in is an upper bound for the per-message part. Small buffers (1200 bytes for
/// the profiled reduced ResNet) cost about one message's alpha.
/// </summary>
public sealed record BufferBroadcastCost(double Bytes, double CpuSeconds, double WallSeconds)
{
    /// <summary>No buffers: nothing to broadcast.</summary>
    public static BufferBroadcastCost None { get; } = new(0, 0, 0);

    /// <summary>The broadcast of <paramref name="bytes"/> per iteration on <paramref name="gloo"/>'s all-reduce
    /// measurements (wall line; CPU line when the link measured its CPU time, else no CPU charged).</summary>
    public static BufferBroadcastCost FromAllReduce(LinkFit gloo, double bytes)
    {
        ArgumentNullException.ThrowIfNull(gloo);
        if (!(bytes >= 0) || !double.IsFinite(bytes)) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "must be finite and >= 0");
        if (bytes == 0) return None;
        return new(bytes, gloo.HostCpu?.Seconds(bytes) ?? 0, gloo.Cost.Seconds(bytes));
    }
}
