using Sim.Models.Cluster;
using Sim.Scenarios.Cluster.Traces;

namespace Sim.Scenarios.Cluster;

/// <summary>
/// Reads public GPU-cluster traces into jobs: "philly" (Microsoft Philly job log, JSON), "alibaba-pai"
/// (Alibaba PAI 2020 task table, CSV) and "helios" (SenseTime Helios cluster_log.csv). Arrival times
/// are shifted so that the earliest job arrives at 0 and scaled by <c>timeScale</c>; each job's work
/// is its recorded run time (seconds at full speed), also scaled. Problems are collected and thrown
/// as one <see cref="Sim.Scenarios.Yaml.ScenarioException"/> naming file:line:column and the field.
/// </summary>
public static class ClusterTraces
{
    public static IReadOnlyList<string> Formats { get; } = ["philly", "alibaba-pai", "helios"];

    public static IReadOnlyList<ClusterJob> Read(string format, string path, int maxJobs = int.MaxValue, double timeScale = 1)
    {
        if (!(timeScale > 0) || !double.IsFinite(timeScale)) throw new ArgumentOutOfRangeException(nameof(timeScale), timeScale, "must be finite and > 0");
        var errors = new TraceErrors(path);
        var raw = format switch
        {
            "philly" => PhillyTrace.Read(path, maxJobs, errors),
            "alibaba-pai" => AlibabaPaiTrace.Read(path, maxJobs, errors),
            "helios" => HeliosTrace.Read(path, maxJobs, errors),
            _ => throw new ArgumentException($"unknown trace format '{format}'; valid: {string.Join(", ", Formats)}", nameof(format)),
        };
        errors.ThrowIfAny();
        if (raw.Count == 0) return [];
        double origin = raw.Min(j => j.Submit);
        var ordered = raw.Select((j, i) => (j, i)).OrderBy(p => p.j.Submit).ThenBy(p => p.i).ToArray();
        var jobs = new ClusterJob[ordered.Length];
        for (int k = 0; k < ordered.Length; k++)
        {
            var j = ordered[k].j;
            double work = j.Duration * timeScale;
            jobs[k] = new ClusterJob(k, (j.Submit - origin) * timeScale, j.Gpus, work, work, Name: j.Name, GpuType: j.GpuType);
        }
        return jobs;
    }
}
