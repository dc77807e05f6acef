namespace Sim.Models.Cluster;

/// <summary>
/// A training job hosted on Spark in the BigDL style (Dai et al., "BigDL: A Distributed Deep Learning
/// Framework for Big Data", SoCC 2019): every iteration is a Spark job of two barrier stages. In the
/// first, each of the N tasks (one per GPU or executor) computes its gradient and writes it to the
/// block manager in N slices; in the second, task i fetches slice i from every task, sums it, updates
/// that slice of the weights and writes it back, and the next iteration's tasks fetch all updated
/// slices. Each node therefore sends and receives 2 (N-1)/N of the gradient bytes per iteration - the
/// volume of a ring all-reduce, as an all-to-all shuffle without pipelining - and every stage pays
/// the driver's scheduling of its tasks before it starts, and waits for its slowest task (barrier).
/// Both costs are inputs: measure them on the Spark cluster at hand (the Spark UI's "scheduler delay"
/// and "task deserialization time" per task); no default stands in for a measurement.
/// </summary>
/// <param name="StageLaunchSeconds">Driver time to schedule one stage (DAG scheduling, task serialization), &gt;= 0.</param>
/// <param name="TaskLaunchSeconds">Per-task launch cost on the driver (tasks are launched one by one), &gt;= 0.</param>
public sealed record SparkStageCosts(double StageLaunchSeconds, double TaskLaunchSeconds)
{
    /// <summary>Stages per iteration: gradient computation and parameter synchronisation.</summary>
    public const int StagesPerIteration = 2;

    /// <summary>Scheduling overhead of one iteration with <paramref name="tasks"/> tasks per stage.</summary>
    public double OverheadSeconds(int tasks) => StagesPerIteration * (StageLaunchSeconds + tasks * TaskLaunchSeconds);

    /// <summary>
    /// Block-manager reduce of <paramref name="bytes"/> over <paramref name="tasks"/> tasks whose node
    /// links get <paramref name="bandwidth"/> bytes/s: two shuffles of (N-1)/N of the bytes per node,
    /// each paying one message latency <paramref name="latency"/> (slices are fetched in parallel).
    /// </summary>
    public static double ReduceSeconds(int tasks, double bytes, double bandwidth, double latency) =>
        tasks <= 1 ? 0 : 2 * ((tasks - 1.0) / tasks * bytes / bandwidth + latency);
}
