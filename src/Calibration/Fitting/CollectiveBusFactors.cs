namespace Sim.Calibration.Fitting;

/// <summary>
/// How much data each rank sends over its link, and in how many sequential steps, for a
/// collective on n ranks under the ring algorithm: the accounting that nccl-tests uses for its
/// "bus bandwidth" (nccl-tests doc/PERFORMANCE.md): all-reduce moves 2(n-1)/n of the buffer in
/// 2(n-1) steps, all-gather and reduce-scatter (n-1)/n in n-1 steps, broadcast and reduce the
/// whole buffer (pipelined, n-1 hops), all-to-all (n-1)/n, send/receive the buffer in one step.
/// Like converting a train ticket price into price per kilometre so that routes can be compared.
/// </summary>
public static class CollectiveBusFactors
{
    public static readonly string[] Known = ["all_reduce", "all_gather", "reduce_scatter", "broadcast", "reduce", "alltoall", "sendrecv"];

    /// <summary>Bytes on each link per byte of buffer.</summary>
    public static double BusBytesFactor(string collective, int ranks)
    {
        if (ranks < 1) throw new ArgumentOutOfRangeException(nameof(ranks), ranks, "at least one rank");
        double n = ranks;
        return collective switch
        {
            "all_reduce" => 2 * (n - 1) / n,
            "all_gather" or "reduce_scatter" or "alltoall" => (n - 1) / n,
            "broadcast" or "reduce" or "sendrecv" => 1,
            _ => throw new ArgumentException($"unknown collective '{collective}' (known: {string.Join(", ", Known)})", nameof(collective)),
        };
    }

    /// <summary>Sequential link latencies paid by the ring algorithm.</summary>
    public static int LatencySteps(string collective, int ranks) => collective switch
    {
        "all_reduce" => 2 * (ranks - 1),
        "all_gather" or "reduce_scatter" or "alltoall" or "broadcast" or "reduce" => ranks - 1,
        "sendrecv" => 1,
        _ => throw new ArgumentException($"unknown collective '{collective}' (known: {string.Join(", ", Known)})", nameof(collective)),
    };
}
