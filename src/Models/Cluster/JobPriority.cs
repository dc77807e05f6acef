namespace Sim.Models.Cluster;

/// <summary>
/// A scheduler's ranking of a job: smaller is served first, compared by <see cref="Primary"/>, then
/// <see cref="Secondary"/>, then (by the simulator) job id, so that every ordering is total and runs
/// are deterministic. Under time slicing, jobs with equal Primary share their GPUs equally.
/// </summary>
public readonly record struct JobPriority(double Primary, double Secondary = 0) : IComparable<JobPriority>
{
    public int CompareTo(JobPriority other)
    {
        int c = Primary.CompareTo(other.Primary);
        return c != 0 ? c : Secondary.CompareTo(other.Secondary);
    }

    public static bool operator <(JobPriority a, JobPriority b) => a.CompareTo(b) < 0;
    public static bool operator >(JobPriority a, JobPriority b) => a.CompareTo(b) > 0;
    public static bool operator <=(JobPriority a, JobPriority b) => a.CompareTo(b) <= 0;
    public static bool operator >=(JobPriority a, JobPriority b) => a.CompareTo(b) >= 0;
}
