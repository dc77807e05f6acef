namespace Sim.Models.Cluster;

/// <summary>What happened to one finished job (one row of jobs.csv). <c>IdealDuration</c> is its work
/// at ideal speed: alone, packed, uncontended, on the fastest type.</summary>
public readonly record struct JobRecord(
    int Id,
    string Name,
    double Arrival,
    int Gpus,
    double Work,
    double IdealDuration,
    double FirstStart,
    double Finish,
    int Preemptions,
    int NodesSpanned,
    int LeavesSpanned)
{
    /// <summary>Job completion time: finish minus arrival.</summary>
    public double CompletionTime => Finish - Arrival;
    /// <summary>Time before the job first ran.</summary>
    public double QueueingDelay => FirstStart - Arrival;
    /// <summary>Completion time over ideal duration (&gt;= 1 up to rounding when nothing slows the job).</summary>
    public double Slowdown => CompletionTime / IdealDuration;
}
