using Sim.Core.Statistics;

namespace Sim.Models.Federated;

/// <summary>
/// The report card of a federated training run: how long rounds took, how many invited clients
/// actually contributed, how much client work and traffic was thrown away, how stale asynchronous
/// updates were, and when the model would reach its target accuracy.
/// </summary>
public sealed record FederatedResult
{
    public AggregationMode Mode { get; init; }
    public ulong Seed { get; init; }
    /// <summary>Sync: rounds started. Async: 0.</summary>
    public int RoundsAttempted { get; init; }
    public int RoundsSucceeded { get; init; }
    public int RoundsFailed => RoundsAttempted - RoundsSucceeded;
    /// <summary>Model versions produced: successful rounds (sync) or buffer flushes (async).</summary>
    public long ModelVersions { get; init; }
    /// <summary>Sync: duration of every round (failed ones included). Async: time between model versions.</summary>
    public Tally RoundTime { get; init; } = new();
    /// <summary>Simulated seconds from the start of training to its end.</summary>
    public double SimulatedSeconds { get; init; }
    /// <summary>True when training stopped at <c>max_time_s</c> before finishing its rounds.</summary>
    public bool HitTimeLimit { get; init; }

    /// <summary>Participations started (a client selected once counts once).</summary>
    public long Selected { get; init; }
    /// <summary>Updates folded into the model.</summary>
    public long Aggregated { get; init; }
    /// <summary>Updates that arrived but never made it into a model: sync, after their round had its K
    /// updates or had closed; async, still queued for folding when training ended.</summary>
    public long Late { get; init; }
    public long Dropped { get; init; }
    public long Cancelled { get; init; }
    /// <summary>Async: updates discarded for exceeding <c>max_staleness</c>.</summary>
    public long StaleDiscarded { get; init; }
    public double ParticipationRate => Selected == 0 ? 0 : (double)Aggregated / Selected;
    public double DropoutRate => Selected == 0 ? 0 : (double)Dropped / Selected;

    public double ComputeSeconds { get; init; }
    public double WastedComputeSeconds { get; init; }
    /// <summary>Downloaded and uploaded bytes of participations that contributed nothing.</summary>
    public double WastedBytes { get; init; }
    public double BytesDownloaded { get; init; }
    /// <summary>Bytes of uploads that completed (client-side count).</summary>
    public double BytesUploadedCompleted { get; init; }
    /// <summary>Bytes of uploads cut off by a dropout or cancellation before completing.</summary>
    public double BytesUploadPartial { get; init; }
    /// <summary>Bytes the client-facing uplinks delivered (the server's, or the edges' under hierarchical
    /// aggregation), integrated from transfer rates over time.</summary>
    public double ServerBytesReceived { get; init; }
    /// <summary>Bytes the client-facing downlinks delivered, integrated from transfer rates over time.</summary>
    public double ServerBytesSent { get; init; }
    /// <summary>Hierarchical aggregation: bytes of partial aggregates the edges sent the server.</summary>
    public double EdgeAggregateBytesToServer { get; init; }
    /// <summary>Hierarchical aggregation: bytes of models the server sent the edges.</summary>
    public double ModelBytesToEdges { get; init; }
    /// <summary>Bytes through the central server's NIC: client transfers, or edge transfers under hierarchical aggregation.</summary>
    public double CentralServerBytes => Hierarchical ? EdgeAggregateBytesToServer + ModelBytesToEdges : ServerBytesReceived + ServerBytesSent;
    /// <summary>True when clients talked to edge aggregators rather than to the server.</summary>
    public bool Hierarchical { get; init; }
    /// <summary>All bytes moved: client transfers plus edge-server transfers.</summary>
    public double BytesMoved => ServerBytesReceived + ServerBytesSent + EdgeAggregateBytesToServer + ModelBytesToEdges;

    /// <summary>Async: staleness (server versions between download and arrival) of every arrived update.</summary>
    public Tally Staleness { get; init; } = new();
    /// <summary>Async: StalenessHistogram[s] = updates that arrived with staleness s.</summary>
    public long[] StalenessHistogram { get; init; } = [];

    /// <summary>Rounds/versions the accuracy curve needs to reach the target (null: never, or no target).</summary>
    public long? ProgressToTarget { get; init; }
    /// <summary>Simulated seconds from the start until the target accuracy was reached (null: not reached).</summary>
    public double? TimeToTargetSeconds { get; init; }
    /// <summary>Accuracy after the last model version, from the curve (NaN without a curve).</summary>
    public double FinalAccuracy { get; init; } = double.NaN;

    /// <summary>Sync: one record per round.</summary>
    public IReadOnlyList<RoundRecord> Rounds { get; init; } = [];
    public double AggregatorUtilisation { get; init; }
    public long Events { get; init; }
    /// <summary>Availability look-ups made by client selection, and full scans it fell back to.</summary>
    public long SelectionProbes { get; init; }
    public long SelectionFullScans { get; init; }

    /// <summary>The fields every mode fills the same way: client-side accounting, link totals,
    /// accuracy, selection cost and kernel counters.</summary>
    internal static FederatedResult Common(AggregationMode mode, ulong seed, Sim.Core.Simulation sim, Participations participations,
        ClientSelector selector, AggregationServer aggregator, AccuracyTracker accuracy) => new()
    {
        Mode = mode,
        Seed = seed,
        Selected = participations.Started,
        Dropped = participations.Dropouts,
        Cancelled = participations.Cancelled,
        ComputeSeconds = participations.ComputeSeconds,
        WastedComputeSeconds = participations.WastedComputeSeconds,
        WastedBytes = participations.WastedBytes,
        BytesDownloaded = participations.BytesDownloaded,
        BytesUploadedCompleted = participations.BytesUploadedCompleted,
        BytesUploadPartial = participations.BytesUploadPartial,
        ServerBytesReceived = participations.ServerBytesReceived,
        ServerBytesSent = participations.ServerBytesSent,
        ProgressToTarget = accuracy.ProgressToTarget,
        TimeToTargetSeconds = accuracy.TimeToTarget,
        FinalAccuracy = accuracy.FinalAccuracy,
        AggregatorUtilisation = aggregator.Cores.Utilisation,
        Events = sim.EventsProcessed,
        SelectionProbes = selector.Probes,
        SelectionFullScans = selector.FullScans,
    };

    public override string ToString() =>
        $"{Mode}: versions={ModelVersions} rounds={RoundsAttempted} (failed {RoundsFailed}) time={SimulatedSeconds:F1}s round/interval p50={RoundTime.P50:F2}s p90={RoundTime.P90:F2}s p99={RoundTime.P99:F2}s " +
        $"participation={ParticipationRate:P1} dropout={DropoutRate:P1} wasted compute={WastedComputeSeconds:F0}s wasted bytes={WastedBytes:E3} events={Events:N0}";
}
