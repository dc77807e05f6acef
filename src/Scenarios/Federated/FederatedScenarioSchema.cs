using Sim.Scenarios.Schema;
using static Sim.Scenarios.Schema.Schemas;

namespace Sim.Scenarios.Federated;

/// <summary>
/// The shape of a federated-learning scenario file. Like training scenarios it has name, seed,
/// replications and outputs; instead of a cluster it has a client population (a device trace or a
/// synthetic generator) and the federated protocol's settings. Key meanings: docs/federated.md.
/// </summary>
public static class FederatedScenarioSchema
{
    // Physical limits, so that no value overflows downstream: a century of simulated time, a model
    // of 10 TB, links of 1 Pbit/s are far beyond any real federated deployment.
    private const double MaxSeconds = 3.2e9;
    // A repeating step must advance the clock: 1e-300 s added to a clock of days is lost to rounding,
    // so the run would never end. A millisecond is far below any real retry or checkpoint period.
    private const double MinStepSeconds = 1e-3;
    private const double MaxBytes = 1e13;
    private const double MaxGbps = 1e6;

    public static MapSchema Synthetic { get; } = Map(
        Field.Req("clients", Integer(min: 1, max: 100_000_000), "Population size."),
        Field.Opt("seconds_per_sample", Distribution(), "Training time per sample on a client (default lognormal, median 50 ms)."),
        Field.Opt("downlink_mbps", Distribution(), "Client downlink, Mbit/s (default lognormal, median 40)."),
        Field.Opt("uplink_mbps", Distribution(), "Client uplink, Mbit/s (default lognormal, median 10)."),
        Field.Opt("samples", Distribution(), "Local samples per client (default lognormal, median 200)."),
        Field.Opt("always_available_fraction", Fraction(), "Clients online all the time.", "0"),
        Field.Opt("night_start_hour", Distribution(), "Start of the overnight charging window (default normal(22, 1.5))."),
        Field.Opt("night_hours", Distribution(), "Length of the overnight window (default normal(7, 2))."),
        Field.Opt("day_session_probability", Fraction(), "Chance of one daytime session.", "0.3"),
        Field.Opt("day_start_hour", Distribution(), "Start of the daytime session (default uniform(8, 18))."),
        Field.Opt("day_hours", Distribution(), "Length of the daytime session (default exponential(1))."),
        Field.Opt("timezone_spread_hours", Number(min: 0, max: 24), "Spread of clients' time zones.", "3"));

    public static MapSchema Population { get; } = Map(
        Field.Opt("trace", String(), "Device trace CSV (docs/federated-trace-format.md), relative to the scenario file."),
        Field.Opt("synthetic", Synthetic, "Generate a population instead of reading a trace."));

    public static MapSchema Protocol { get; } = Map(
        Field.Opt("mode", Enum("sync", "async"), "sync: FedAvg rounds; async: FedBuff buffered aggregation.", "sync"),
        Field.Opt("rounds", Integer(min: 1, max: 10_000_000), "Rounds (sync) or model versions (async).", "100"),
        Field.Opt("clients_per_round", Integer(min: 1, max: 100_000_000), "K: updates aggregated per round.", "100"),
        Field.Opt("over_commit", Number(min: 0, max: 100), "Select ceil(K (1 + o)) clients per round.", "0.3"),
        Field.Opt("deadline_s", Positive(max: MaxSeconds), "Round deadline; default none."),
        Field.Opt("min_updates", Integer(min: 1, max: 100_000_000), "Updates a closed round needs to count (default K)."),
        Field.Opt("cancel_stragglers", Boolean(), "Stop late clients once K updates arrived.", "true"),
        Field.Opt("selection", Enum("random", "fastest"), "Client selection (fastest: Oort-like by expected duration).", "random"),
        Field.Opt("selection_pool_factor", Number(min: 1, max: 1_000), "fastest: pool size as a multiple of the selection.", "4"),
        Field.Opt("exploration_fraction", Fraction(), "fastest: share chosen at random.", "0.1"),
        Field.Opt("local_epochs", Integer(min: 1, max: 10_000), "E: local epochs per participation.", "1"),
        Field.Opt("model_bytes", Positive(max: MaxBytes), "Model download size.", "20000000"),
        Field.Opt("update_bytes", Positive(max: MaxBytes), "Update upload size (default model_bytes)."),
        Field.Opt("compute_jitter", Distribution(), "Multiplier on a client's compute time per participation.", "1"),
        Field.Opt("server_downlink_gbps", Positive(max: MaxGbps), "Server NIC towards clients (shared max-min fairly).", "10"),
        Field.Opt("server_uplink_gbps", Positive(max: MaxGbps), "Server NIC from clients.", "10"),
        Field.Opt("aggregation_s_per_update", Number(min: 0, max: 1e6), "Server compute per folded update.", "0"),
        Field.Opt("aggregator_cores", Integer(min: 1, max: 1_048_576), "Updates folded concurrently.", "1"),
        Field.Opt("edge_aggregators", Integer(min: 0, max: 1_048_576), "Hierarchical aggregation: edge servers (0: none).", "0"),
        Field.Opt("edge_downlink_gbps", Positive(max: MaxGbps), "Each edge's NIC towards clients.", "10"),
        Field.Opt("edge_uplink_gbps", Positive(max: MaxGbps), "Each edge's NIC from clients.", "10"),
        Field.Opt("backhaul_gbps", Positive(max: MaxGbps), "Edge-to-server links.", "10"),
        Field.Opt("retry_interval_s", Number(min: MinStepSeconds, max: MaxSeconds), "Wait before retrying when too few clients are online.", "60"),
        Field.Opt("start_time_s", Number(min: 0, max: MaxSeconds), "Simulated start (seconds after midnight of day 0).", "0"),
        Field.Opt("max_time_s", Positive(max: MaxSeconds), "Stop after this much simulated time.", "31536000"),
        Field.Opt("concurrency", Integer(min: 1, max: 100_000_000), "async: clients training at once (C).", "100"),
        Field.Opt("buffer_size", Integer(min: 1, max: 100_000_000), "async: updates per aggregation (B).", "10"),
        Field.Opt("max_staleness", Integer(min: 0, max: 100_000_000), "async: discard updates staler than this."),
        Field.Opt("accuracy_curve", List(List(Number(), minItems: 2), minItems: 2), "[[progress, accuracy], ...]: accuracy after that many rounds (sync) or versions (async)."),
        Field.Opt("target_accuracy", Fraction(), "Report the simulated time to reach this accuracy."));

    public static MapSchema Root { get; } = Map(
        Field.Req("name", FolderName(), "Scenario name (results go to results/NAME unless --out is given)."),
        Field.Opt("description", String(), "Free text shown in reports."),
        Field.Opt("seed", Long(min: 0), "Run seed; replication r uses seed + r.", "1"),
        Field.Opt("replications", Integer(min: 1, max: 10_000), "Independent replications.", "1"),
        Field.Req("population", Population, "The clients."),
        Field.Req("federated", Protocol, "The federated protocol."),
        Field.Opt("attack", Sim.Scenarios.Dependability.DependabilityScenarioSchema.Attack, "Byzantine clients among each round's clients_per_round updates (docs/dependability.md)."),
        Field.Opt("defence", Sim.Scenarios.Dependability.DependabilityScenarioSchema.Defence, "Robust aggregation of each sync round's updates at the server (docs/dependability.md)."),
        Field.Opt("outputs", Map(Field.Opt("report", Boolean(), "Write report.html.", "true")), "What to write besides summary.json and rounds.csv."));
}
