using System.Globalization;

namespace Sim.Scenarios.Cluster.Traces;

/// <summary>
/// The Helios job log (Hu et al., "Characterization and Prediction of Deep Learning Workloads in
/// Large-Scale GPU Datacenters", SC'21; github.com/S-Lab-System-Group/HeliosData, cluster_log.csv):
/// a CSV with a header row. Columns used, found by name: job_id, gpu_num, submit_time (timestamp or
/// seconds), duration (seconds); state is kept in nothing but may be present. Other columns are
/// ignored. Jobs with no GPUs (CPU jobs) or no run time are skipped.
/// </summary>
internal static class HeliosTrace
{
    public static List<TraceJob> Read(string path, int maxJobs, TraceErrors errors)
    {
        var jobs = new List<TraceJob>();
        using var csv = new CsvCursor(path);
        if (!csv.Next()) { errors.Add(1, 1, "header", "the file is empty; expected a header row with job_id, gpu_num, submit_time, duration"); return jobs; }
        var header = csv.Fields.Select((name, i) => (name, i)).ToDictionary(p => p.name, p => p.i, StringComparer.OrdinalIgnoreCase);
        int Col(string name)
        {
            if (header.TryGetValue(name, out int i)) return i;
            errors.Add(1, 1, "header", $"missing column '{name}'; expected job_id, gpu_num, submit_time and duration (got {string.Join(", ", csv.Fields)})");
            return -1;
        }
        int id = Col("job_id"), gpus = Col("gpu_num"), submit = Col("submit_time"), duration = Col("duration");
        if (errors.Any) return jobs;
        int width = csv.Fields.Count;
        while (jobs.Count < maxJobs && !errors.Full && csv.Next())
        {
            var f = csv.Fields;
            if (f.Count != width) { errors.Add(csv.Line, 1, "row", $"expected {width} fields like the header, got {f.Count}"); continue; }
            if (!int.TryParse(f[gpus], NumberStyles.Integer, CultureInfo.InvariantCulture, out int g) || g < 0)
            { errors.Add(csv.Line, csv.ColumnOf(gpus), "gpu_num", $"expected a GPU count >= 0, got '{f[gpus]}'"); continue; }
            if (!TraceTime.TryParse(f[submit], out double t))
            { errors.Add(csv.Line, csv.ColumnOf(submit), "submit_time", $"expected a timestamp (yyyy-MM-dd HH:mm:ss) or seconds, got '{f[submit]}'"); continue; }
            if (TraceTime.IsMissing(f[duration])) continue;
            if (!double.TryParse(f[duration], NumberStyles.Float, CultureInfo.InvariantCulture, out double d) || !double.IsFinite(d) || d < 0)
            { errors.Add(csv.Line, csv.ColumnOf(duration), "duration", $"expected seconds >= 0, got '{f[duration]}'"); continue; }
            if (g == 0 || d <= 0) continue;
            jobs.Add(new TraceJob(f[id], t, g, d, null));
        }
        return jobs;
    }
}
