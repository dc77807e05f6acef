using Sim.Core.Statistics;

namespace Sim.Models.Cluster;

/// <summary>
/// Everything one cluster run produced, in memory: the finished (measured) jobs, time integrals for
/// utilisation and Little's law, and the binned time series. Writing files is the caller's business.
/// </summary>
public sealed class ClusterOutcome
{
    internal ClusterOutcome(string scheduler, int totalGpus, List<JobRecord> jobs, ClusterSeries series)
    {
        Scheduler = scheduler;
        TotalGpus = totalGpus;
        Jobs = jobs;
        Series = series;
    }

    public string Scheduler { get; }
    public int TotalGpus { get; }
    /// <summary>Measured jobs in order of completion.</summary>
    public IReadOnlyList<JobRecord> Jobs { get; }
    public ClusterSeries Series { get; }
    /// <summary>Simulated time at the end of the run (seconds).</summary>
    public double EndTime { get; internal set; }
    /// <summary>Last finish minus first arrival among measured jobs.</summary>
    public double Makespan { get; internal set; }
    /// <summary>Integral over the whole run of the number of jobs in the system (job-seconds).</summary>
    public double JobSecondsInSystem { get; internal set; }
    /// <summary>Integral of busy GPUs (GPU-seconds, holding or restoring).</summary>
    public double BusyGpuSeconds { get; internal set; }
    /// <summary>Integral of waiting jobs (job-seconds).</summary>
    public double JobSecondsWaiting { get; internal set; }
    /// <summary>Integral of free GPUs stranded on partly busy nodes (GPU-seconds).</summary>
    public double FragmentedGpuSeconds { get; internal set; }
    public long JobsArrived { get; internal set; }
    public long Events { get; internal set; }
    public long Preemptions { get; internal set; }
    public long NetworkSolves { get; internal set; }

    public double MeanUtilisation => EndTime > 0 ? BusyGpuSeconds / (EndTime * TotalGpus) : 0;
    public double MeanInSystem => EndTime > 0 ? JobSecondsInSystem / EndTime : 0;
    public double MeanWaiting => EndTime > 0 ? JobSecondsWaiting / EndTime : 0;

    public double MeanCompletionTime => Mean(j => j.CompletionTime);
    public double MeanQueueingDelay => Mean(j => j.QueueingDelay);
    public double MeanSlowdown => Mean(j => j.Slowdown);

    /// <summary>Tally of a per-job quantity (percentiles exact: every value kept).</summary>
    public Tally TallyOf(Func<JobRecord, double> metric)
    {
        var t = new Tally(Math.Max(1, Jobs.Count));
        foreach (var j in Jobs) t.Add(metric(j));
        return t;
    }

    /// <summary>
    /// Jain's fairness index (Jain, Chiu and Hawe, DEC-TR-301, 1984) of the jobs' normalized speeds
    /// 1/slowdown: (sum x)^2 / (n sum x^2), 1 when every job is slowed equally, 1/n at worst.
    /// </summary>
    public double JainFairness
    {
        get
        {
            double s = 0, s2 = 0;
            foreach (var j in Jobs) { double x = 1 / j.Slowdown; s += x; s2 += x * x; }
            return Jobs.Count == 0 ? double.NaN : s * s / (Jobs.Count * s2);
        }
    }

    private double Mean(Func<JobRecord, double> f)
    {
        if (Jobs.Count == 0) return double.NaN;
        double s = 0;
        foreach (var j in Jobs) s += f(j);
        return s / Jobs.Count;
    }
}
