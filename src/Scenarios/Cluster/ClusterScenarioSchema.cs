using Sim.Models.Cluster;
using Sim.Scenarios.Schema;
using static Sim.Scenarios.Schema.Schemas;

namespace Sim.Scenarios.Cluster;

/// <summary>
/// The shape of a cluster scenario file (`sim cluster run FILE.yaml`): the GPUs and their fabric, the
/// job stream (synthetic or a public trace), and the scheduling policy. Cross-key rules live in
/// <see cref="ClusterScenario.From"/>. Meanings and models: docs/cluster.md.
/// </summary>
public static class ClusterScenarioSchema
{
    public static MapSchema GpuTypeGroup { get; } = Map(
        Field.Req("name", String(), "Type name, as jobs and traces refer to it."),
        Field.Req("nodes", Integer(min: 1), "Nodes of this type (groups fill the node list in order)."),
        Field.Opt("speed", Positive(), "Speed relative to the reference type; name its source in the description (e.g. Gavel's throughput table).", "1"));

    public static MapSchema Network { get; } = Map(
        Field.Opt("fabric", Enum("single-switch", "fat-tree-2", "fat-tree-3"), "Fabric between the nodes' NICs.", "fat-tree-2"),
        Field.Opt("leaf_down_ports", Integer(min: 1), "NIC ports per leaf switch; nodes per leaf = ports / NICs per node.", "32"),
        Field.Opt("spines", Integer(min: 1), "Spine switches (uplinks per leaf).", "8"),
        Field.Opt("oversubscription", Number(min: 1), "Leaf down-link over up-link bandwidth.", "1"),
        Field.Opt("contention", Boolean(), "Rings sharing links share bandwidth max-min fairly; false: every ring gets its uncontended rate.", "true"));

    public static MapSchema ClusterSection { get; } = Map(
        Field.Req("nodes", Integer(min: 1, max: 1_000_000), "Nodes in the cluster."),
        Field.Opt("preset", String(), "Node preset (dgx-a100, dgx-h100, dgx1-v100, p100-pcie-8x): GPUs per node, NICs, intra-node fabric, device for training profiles. Required with jobs.synthetic.models or cluster.network."),
        Field.Opt("gpus_per_node", Integer(min: 1, max: 1024), "GPUs per node when no preset is given.", "8"),
        Field.Opt("nodes_per_leaf", Integer(min: 1), "Nodes under one leaf switch for topology-aware placement without a network section (default: all nodes)."),
        Field.Opt("gpu_types", List(GpuTypeGroup, minItems: 1), "Heterogeneous cluster: node groups of named GPU types; node counts must add up to cluster.nodes."),
        Field.Opt("network", Network, "Model the fabric: jobs' ring all-reduce bandwidth from the topology, shared on contended links."));

    public static MapSchema ModelMix { get; } = Map(
        Field.Req("model", String(), "Model zoo name (resnet50, vgg16, bert_large, gpt2, ...)."),
        Field.Opt("batch_per_gpu", Integer(min: 1), "Samples per GPU per iteration.", "32"),
        Field.Opt("weight", Positive(), "Relative frequency among the listed models.", "1"),
        Field.Opt("spark_stage_launch_s", Number(min: 0), "Host the job on Spark, BigDL style (two barrier stages per iteration, gradients reduced through the block manager): driver time to schedule one stage, measured on your Spark cluster. Needs spark_task_launch_s."),
        Field.Opt("spark_task_launch_s", Number(min: 0), "Spark-hosted jobs: driver time to launch one task (the Spark UI's scheduler delay). Needs spark_stage_launch_s."));

    public static MapSchema Synthetic { get; } = Map(
        Field.Req("arrival_rate_per_hour", Positive(), "Mean job arrivals per hour (Poisson; the daily mean when modulated)."),
        Field.Opt("diurnal_amplitude", Number(min: 0, max: 0.99), "Relative amplitude A of the daily cycle rate (1 + A sin(...)); 0: homogeneous.", "0"),
        Field.Opt("peak_hour", Number(min: 0, max: 24), "Hour of the day with the most arrivals.", "14"),
        Field.Req("gpus", Distribution(), "Gang size per job (rounded to an integer, at least 1, at most the cluster), e.g. empirical(1, 1, 2, 4, 8)."),
        Field.Opt("duration_s", Distribution(), "Service time at full speed, seconds (jobs without a training model)."),
        Field.Opt("iterations", Distribution(), "Iterations per job (jobs with training models: time per iteration from the model and placement)."),
        Field.Opt("models", List(ModelMix, minItems: 1), "Training models the jobs run (needs cluster.preset)."),
        Field.Opt("estimate_error", Distribution(), "Multiplicative error of the duration SJF/SRTF/backfilling are told (1: exact).", "1"),
        Field.Opt("jobs", Integer(min: 1, max: 100_000_000), "Number of jobs (a count or a horizon is required)."),
        Field.Opt("horizon_days", Positive(), "Stop generating arrivals after this many days."));

    public static MapSchema Trace { get; } = Map(
        Field.Req("format", Enum("philly", "alibaba-pai", "helios"), "Trace format (docs/cluster.md describes each)."),
        Field.Req("path", String(), "Trace file, relative to the scenario file (or the repository root)."),
        Field.Opt("max_jobs", Integer(min: 1), "Read at most this many jobs."),
        Field.Opt("time_scale", Positive(), "Multiply arrival times and durations (e.g. 0.5 replays twice as fast).", "1"));

    public static MapSchema Jobs { get; } = Map(
        Field.Opt("synthetic", Synthetic, "Generate the job stream."),
        Field.Opt("trace", Trace, "Replay a public cluster trace."));

    public static MapSchema Scheduler { get; } = Map(
        Field.Req("policy", Enum(SchedulerRegistry.Names.ToArray()), "Scheduling policy: " + string.Join("; ", SchedulerRegistry.All.Select(e => $"{e.Name}: {e.Description}")) + "."),
        Field.Opt("placement", Enum("packed", "spread", "topology-aware"), "Where a gang's GPUs go.", "packed"),
        Field.Opt("backfill", Boolean(), "Skip jobs that do not fit (EASY backfilling for fifo/sjf) instead of blocking.", "true"),
        Field.Opt("checkpoint_s", Number(min: 0), "Seconds to checkpoint a preempted job.", "0"),
        Field.Opt("restore_s", Number(min: 0), "Seconds to restore a preempted job when it resumes.", "0"),
        Field.Opt("tiresias_thresholds_gpu_s", List(Positive(), minItems: 1), "tiresias: increasing queue thresholds in GPU-seconds.", "[3600, 36000]"),
        Field.Opt("lease_s", Positive(), "themis: lease length.", "600"),
        Field.Opt("round_s", Positive(), "gavel: round length.", "360"));

    public static MapSchema Outputs { get; } = Map(
        Field.Opt("report", Boolean(), "Write report.html.", "true"),
        Field.Opt("series_bin_s", Positive(), "Width of the utilisation and queue-length bins, seconds.", "3600"));

    public static MapSchema Root { get; } = Map(
        Field.Req("name", String(), "Scenario name (results go to results/NAME unless --out is given)."),
        Field.Opt("description", String(), "Free text shown in reports; name the sources of figures here."),
        Field.Opt("seed", Integer(min: 0), "Run seed; replication r uses seed + r.", "1"),
        Field.Opt("replications", Integer(min: 1, max: 10_000), "Independent replications (a trace is replayed once per replication; only estimates vary).", "1"),
        Field.Req("cluster", ClusterSection, "The GPUs and their fabric."),
        Field.Req("jobs", Jobs, "The job stream: exactly one of synthetic or trace."),
        Field.Req("scheduler", Scheduler, "The scheduling policy and its mechanics."),
        Field.Opt("outputs", Outputs, "What to write besides summary.json and jobs.csv."));

    public static string ReferenceMarkdown() => SchemaMarkdown.Write(Root, "Cluster scenario files",
        "Every key of a cluster scenario (`sim cluster run FILE.yaml`), generated from the schema that validates it. " +
        "Unknown keys, wrong types and out-of-range values are errors naming the file, line, column and key path (exit code 2), " +
        "and nothing is written. Models, policies and validation: docs/cluster.md. Ready examples: scenarios/cluster-*.yaml.");
}
