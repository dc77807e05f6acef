using Sim.Core.Randomness;

namespace Sim.Models.Federated;

/// <summary>
/// The knobs of a federated training job, like the settings sheet a federated-learning operator fills
/// in before launching: how many phones per round, how many extra to invite, how long to wait, how big
/// the model is. Property names map one-to-one to the proposed scenario keys in lower_snake_case
/// (<c>clients_per_round</c>, <c>over_commit</c>, ...), documented in docs/federated.md.
/// </summary>
public sealed record FederatedConfig
{
    /// <summary><c>mode</c>: sync (FedAvg rounds) or async (FedBuff).</summary>
    public AggregationMode Mode { get; init; } = AggregationMode.Sync;
    /// <summary><c>rounds</c>: sync rounds to run, or (async) server model versions to produce.</summary>
    public int Rounds { get; init; } = 100;
    /// <summary><c>clients_per_round</c> (K): updates the server aggregates per sync round.</summary>
    public int ClientsPerRound { get; init; } = 100;
    /// <summary><c>over_commit</c> (o): the server selects ceil(K * (1 + o)) clients (Bonawitz et al. 2019 use 30%).</summary>
    public double OverCommit { get; init; } = 0.3;
    /// <summary><c>deadline_s</c>: a sync round closes at this time after it started, successful or not.</summary>
    public double DeadlineSeconds { get; init; } = double.PositiveInfinity;
    /// <summary><c>min_updates</c>: a round closed by its deadline (or with every participant finished
    /// or gone) succeeds if it aggregated at least this many updates; default K.</summary>
    public int? MinUpdates { get; init; }
    /// <summary><c>cancel_stragglers</c>: when a round closes, tell clients still working to stop (true), or let
    /// them finish and discard their late updates (false; they stay busy and keep loading the server NIC).</summary>
    public bool CancelStragglers { get; init; } = true;
    /// <summary><c>selection</c>: random or fastest (Oort-like).</summary>
    public SelectionPolicy Selection { get; init; } = SelectionPolicy.Random;
    /// <summary><c>selection_pool_factor</c>: fastest selection ranks this many times the needed clients.</summary>
    public double SelectionPoolFactor { get; init; } = 4;
    /// <summary><c>exploration_fraction</c>: share of fastest-selected clients picked at random instead.</summary>
    public double ExplorationFraction { get; init; } = 0.1;
    /// <summary><c>local_epochs</c> (E): passes over the client's samples per participation.</summary>
    public int LocalEpochs { get; init; } = 1;
    /// <summary><c>model_bytes</c>: bytes each participant downloads.</summary>
    public double ModelBytes { get; init; } = 20e6;
    /// <summary><c>update_bytes</c>: bytes each participant uploads; default <see cref="ModelBytes"/>.</summary>
    public double? UpdateBytes { get; init; }
    /// <summary><c>compute_jitter</c>: per-participation multiplier on local training time (a distribution, e.g. lognormal(0, 0.25)).</summary>
    public IDistribution ComputeJitter { get; init; } = new Deterministic(1);
    /// <summary><c>server_downlink_gbps</c>: server NIC capacity towards clients, Gbit/s (+inf: uncontended).</summary>
    public double ServerDownlinkGbps { get; init; } = 10;
    /// <summary><c>server_uplink_gbps</c>: server NIC capacity from clients, Gbit/s (+inf: uncontended).</summary>
    public double ServerUplinkGbps { get; init; } = 10;
    /// <summary><c>aggregation_s_per_update</c>: server compute to fold one update into the aggregate.</summary>
    public double AggregationSecondsPerUpdate { get; init; }
    /// <summary><c>aggregator_cores</c>: updates the server can fold in concurrently (a Sim.Core Resource).</summary>
    public int AggregatorCores { get; init; } = 1;
    /// <summary><c>edge_aggregators</c> (sync only): E &gt; 0 enables hierarchical aggregation: client c
    /// talks to edge c mod E, which receives the model from the server once per round and sends the
    /// server one partial aggregate per round. 0: clients talk to the server directly.</summary>
    public int EdgeAggregators { get; init; }
    /// <summary><c>edge_downlink_gbps</c>: each edge's NIC capacity towards its clients, Gbit/s.</summary>
    public double EdgeDownlinkGbps { get; init; } = 10;
    /// <summary><c>edge_uplink_gbps</c>: each edge's NIC capacity from its clients, Gbit/s.</summary>
    public double EdgeUplinkGbps { get; init; } = 10;
    /// <summary><c>backhaul_gbps</c>: rate of one edge's link to the server, Gbit/s (edge flows also share the server NIC).</summary>
    public double BackhaulGbps { get; init; } = 10;
    /// <summary><c>retry_interval_s</c>: when too few clients are online, the server waits this long and tries again.</summary>
    public double RetryIntervalSeconds { get; init; } = 60;
    /// <summary><c>start_time_s</c>: simulated time at which training starts (time of day for diurnal traces).</summary>
    public double StartTimeSeconds { get; init; }
    /// <summary><c>max_time_s</c>: stop when simulated time passes this (guards against a population that never comes online).</summary>
    public double MaxTimeSeconds { get; init; } = 365 * 86400.0;
    /// <summary><c>concurrency</c> (C, async): clients training at once.</summary>
    public int Concurrency { get; init; } = 100;
    /// <summary><c>buffer_size</c> (B, async): updates per new server model version.</summary>
    public int BufferSize { get; init; } = 10;
    /// <summary><c>max_staleness</c> (async): updates staler than this many versions are discarded (null: keep all).</summary>
    public int? MaxStaleness { get; init; }
    /// <summary><c>accuracy_curve</c>: (rounds or versions aggregated, accuracy) points, interpolated linearly.</summary>
    public IReadOnlyList<(double Progress, double Accuracy)>? AccuracyCurve { get; init; }
    /// <summary><c>target_accuracy</c>: report the simulated time at which the curve first reaches it.</summary>
    public double? TargetAccuracy { get; init; }
    /// <summary><c>defence</c> (sync, no edge tier): a robust rule (issue #18) the server runs once per round on
    /// the round's accepted updates, which it must hold side by side instead of folding each in; null = FedAvg.</summary>
    public Dependability.DefenceCost? Defence { get; init; }
    /// <summary>Prices <see cref="Defence"/> (the fitted kernel timings by default).</summary>
    public Dependability.AggregationCostModel DefenceCosts { get; init; } = Dependability.AggregationCostModel.Measured;
    /// <summary>Coordinates of one update for <see cref="Defence"/>'s cost: update bytes over 4 (fp32).</summary>
    public long UpdateCoordinates => (long)Math.Ceiling(EffectiveUpdateBytes / 4);

    public double EffectiveUpdateBytes => UpdateBytes ?? ModelBytes;
    public int EffectiveMinUpdates => MinUpdates ?? ClientsPerRound;
    /// <summary>ceil(K * (1 + o)), computed so that 100 * 1.3 gives 130, not 131.</summary>
    public int SelectedPerRound => (int)Math.Ceiling(Math.Round(ClientsPerRound * (1 + OverCommit), 9));

    /// <summary>Throws <see cref="ArgumentException"/> naming the scenario key that is out of range.</summary>
    public void Validate()
    {
        static void Require(bool ok, string key, object? value, string expected)
        {
            if (!ok) throw new ArgumentException($"{key}: got {value}, expected {expected}");
        }
        Require(Rounds >= 1, "rounds", Rounds, "an integer >= 1");
        Require(ClientsPerRound >= 1, "clients_per_round", ClientsPerRound, "an integer >= 1");
        Require(OverCommit >= 0 && OverCommit <= 100, "over_commit", OverCommit, "a number in [0, 100]");
        Require(DeadlineSeconds > 0, "deadline_s", DeadlineSeconds, "a number > 0 (or omit for no deadline)");
        Require(MinUpdates is null || (MinUpdates >= 1 && MinUpdates <= ClientsPerRound), "min_updates", MinUpdates, "an integer in [1, clients_per_round]");
        Require(SelectionPoolFactor >= 1 && SelectionPoolFactor <= 1000, "selection_pool_factor", SelectionPoolFactor, "a number in [1, 1000]");
        Require(ExplorationFraction >= 0 && ExplorationFraction <= 1, "exploration_fraction", ExplorationFraction, "a number in [0, 1]");
        Require(LocalEpochs >= 1, "local_epochs", LocalEpochs, "an integer >= 1");
        Require(ModelBytes >= 0 && !double.IsInfinity(ModelBytes), "model_bytes", ModelBytes, "a finite number >= 0");
        Require(EffectiveUpdateBytes >= 0 && !double.IsInfinity(EffectiveUpdateBytes), "update_bytes", UpdateBytes, "a finite number >= 0");
        Require(ComputeJitter != null, "compute_jitter", null, "a distribution");
        Require(ServerDownlinkGbps > 0, "server_downlink_gbps", ServerDownlinkGbps, "a number > 0 (inf for uncontended)");
        Require(ServerUplinkGbps > 0, "server_uplink_gbps", ServerUplinkGbps, "a number > 0 (inf for uncontended)");
        Require(AggregationSecondsPerUpdate >= 0 && !double.IsInfinity(AggregationSecondsPerUpdate), "aggregation_s_per_update", AggregationSecondsPerUpdate, "a finite number >= 0");
        Require(AggregatorCores >= 1, "aggregator_cores", AggregatorCores, "an integer >= 1");
        Require(EdgeAggregators >= 0, "edge_aggregators", EdgeAggregators, "an integer >= 0");
        Require(EdgeAggregators == 0 || Mode == AggregationMode.Sync, "edge_aggregators", EdgeAggregators, "0 in async mode (hierarchical aggregation is modelled for sync rounds only)");
        Require(EdgeDownlinkGbps > 0, "edge_downlink_gbps", EdgeDownlinkGbps, "a number > 0 (inf for uncontended)");
        Require(EdgeUplinkGbps > 0, "edge_uplink_gbps", EdgeUplinkGbps, "a number > 0 (inf for uncontended)");
        Require(BackhaulGbps > 0 && !double.IsPositiveInfinity(BackhaulGbps), "backhaul_gbps", BackhaulGbps, "a finite number > 0");
        Require(RetryIntervalSeconds > 0 && !double.IsInfinity(RetryIntervalSeconds), "retry_interval_s", RetryIntervalSeconds, "a finite number > 0");
        Require(StartTimeSeconds >= 0 && !double.IsInfinity(StartTimeSeconds), "start_time_s", StartTimeSeconds, "a finite number >= 0");
        Require(MaxTimeSeconds > StartTimeSeconds, "max_time_s", MaxTimeSeconds, "a number > start_time_s");
        Require(Concurrency >= 1, "concurrency", Concurrency, "an integer >= 1");
        Require(BufferSize >= 1, "buffer_size", BufferSize, "an integer >= 1");
        Require(MaxStaleness is null || MaxStaleness >= 0, "max_staleness", MaxStaleness, "an integer >= 0");
        if (AccuracyCurve != null) _ = new AccuracyCurve(AccuracyCurve);
        Require(TargetAccuracy is null || AccuracyCurve != null, "target_accuracy", TargetAccuracy, "to come with accuracy_curve");
        Require(Defence is not { FitsInAllReduce: false } || (Mode == AggregationMode.Sync && EdgeAggregators == 0), "defence", Defence?.Name,
            "plain mean with mode: async or edge_aggregators (a robust rule needs a sync round's updates side by side at one server)");
    }
}
