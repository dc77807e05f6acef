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
/// </summary>
public sealed record BufferBroadcastCost(double Bytes, double CpuSeconds, double WallSeconds, string Source)
{
    /// <summary>No buffers: nothing to broadcast.</summary>
    public static BufferBroadcastCost None { get; } = new(0, 0, 0, "no buffers");

    /// <summary>The broadcast of <paramref name="bytes"/> among <paramref name="ranks"/> ranks on the profile's gloo
    /// links: its broadcast fit if it has one, else its all-reduce fit (see the type's summary); null when it has neither.</summary>
    public static BufferBroadcastCost? FromGloo(IReadOnlyList<LinkFit> links, int ranks, double bytes)
    {
        ArgumentNullException.ThrowIfNull(links);
        if (!(bytes >= 0) || !double.IsFinite(bytes)) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "must be finite and >= 0");
        if (ranks < 2 || bytes == 0) return None;
        var measured = links.FirstOrDefault(l => l.Backend == "gloo" && l.Collective == "broadcast");
        var link = measured ?? links.FirstOrDefault(l => l.Backend == "gloo" && l.Collective == "all_reduce");
        if (link is null) return null;
        // Either link is driven through a broadcast's steps; only the label says which one priced it.
        return new(bytes, link.HostCpu?.Seconds(bytes) ?? 0, AlphaBetaFitter.CollectiveSeconds(link.Cost, "broadcast", ranks, bytes),
            measured is not null ? "measured gloo broadcast" : "gloo all-reduce link as stand-in (no broadcast measured)");
    }
}
