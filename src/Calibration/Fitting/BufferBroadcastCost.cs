namespace Sim.Calibration.Fitting;

/// <summary>
/// What DDP's buffer broadcast costs per iteration: with <c>broadcast_buffers=True</c> (PyTorch's default)
/// DistributedDataParallel broadcasts the module's buffers (BatchNorm's running mean and variance and its
/// batch counter) from rank 0 before every forward and waits for it (torch 1.13:
/// <c>DistributedDataParallel._sync_buffers</c> -> <c>_distributed_broadcast_coalesced</c>, one flattened
/// message per dtype, at most two in flight at once). Charged as one broadcast of all the buffer bytes.
/// Wall time: the profile's measured gloo broadcast where it has one (its fitted link, sim-measurements rows with
/// op "broadcast"); else the gloo all-reduce's fitted link (per-step alpha and per-byte beta, measured) driven
/// through a broadcast's steps (<see cref="AlphaBetaFitter.CollectiveSeconds"/>: one step of the bytes with two
/// ranks). CPU per rank: the measured broadcast's CPU line, else the measured all-reduce's CPU line for the same
/// bytes as a stand-in (an all-reduce does at least a broadcast's work: it sends and receives as much and also
/// reduces). Small buffers (1200 bytes for the profiled reduced ResNet) cost about one message's alpha.
/// Profile v7 measured the broadcast where DDP runs it, inside free-running training loops of two ranks (conv + BatchNorm stacks,
/// DDP against DDP with broadcast_buffers=False: <see cref="LinkFit.DdpBufferBroadcast"/>): there it costs a rank several times the
/// isolated broadcast (measured 2026-12-07, 0.2-1.3 ms per step against 0.05 ms after a barrier), so where the profile has that line
/// and the model's buffer tensors are known, the CPU per rank is that line at the model's buffer tensors (it holds the broadcast's
/// own work, so nothing is added to it). Profile v8 also measured the wall time the broadcast adds to those steps
/// (<see cref="LinkFit.DdpBufferBroadcastWall"/>, on free cores: its CPU and every wait it makes a rank do, the same kind of
/// difference as a bucket's wall floor); where the profile has it, the wall floor is that line at the model's buffer tensors,
/// and never less than the isolated broadcast's.
/// </summary>
public sealed record BufferBroadcastCost(double Bytes, double CpuSeconds, double WallSeconds, string Source)
{
    /// <summary>No buffers: nothing to broadcast.</summary>
    public static BufferBroadcastCost None { get; } = new(0, 0, 0, "no buffers");

    /// <summary>The broadcast of <paramref name="bytes"/> in <paramref name="bufferTensors"/> buffer tensors (0: not known) among
    /// <paramref name="ranks"/> ranks on the profile's gloo links: its broadcast fit if it has one, else its all-reduce fit, with the
    /// CPU measured in training loops where the profile has it (see the type's summary); null when it has neither link.</summary>
    public static BufferBroadcastCost? FromGloo(IReadOnlyList<LinkFit> links, int ranks, double bytes, int bufferTensors = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bufferTensors);
        ArgumentNullException.ThrowIfNull(links);
        if (!(bytes >= 0) || !double.IsFinite(bytes)) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "must be finite and >= 0");
        if (ranks < 2 || bytes == 0) return None;
        var measured = links.FirstOrDefault(l => l.Backend == "gloo" && l.Collective == "broadcast");
        var link = measured ?? links.FirstOrDefault(l => l.Backend == "gloo" && l.Collective == "all_reduce");
        if (link is null) return null;
        // Either link is driven through a broadcast's steps; only the label says which one priced it.
        double wall = AlphaBetaFitter.CollectiveSeconds(link.Cost, "broadcast", ranks, bytes);
        var inLoop = links.FirstOrDefault(l => l.Backend == "gloo" && l.Collective == "all_reduce")?.DdpBufferBroadcast;
        var inLoopWall = links.FirstOrDefault(l => l.Backend == "gloo" && l.Collective == "all_reduce")?.DdpBufferBroadcastWall;
        if (inLoop is not null && bufferTensors > 0)
            return inLoopWall is null
                ? new(bytes, inLoop.Seconds(bufferTensors), wall, "measured in free-running two-rank DDP loops (profile v7)")
                : new(bytes, inLoop.Seconds(bufferTensors), Math.Max(wall, inLoopWall.Seconds(bufferTensors)),
                    "measured in free-running two-rank DDP loops, CPU and wall (profile v8)");
        return new(bytes, link.HostCpu?.Seconds(bytes) ?? 0, wall,
            measured is not null ? "measured gloo broadcast" : "gloo all-reduce link as stand-in (no broadcast measured)");
    }
}
