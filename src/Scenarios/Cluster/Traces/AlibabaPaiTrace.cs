using System.Globalization;

namespace Sim.Scenarios.Cluster.Traces;

/// <summary>
/// Alibaba PAI 2020 task table (Weng et al., "MLaaS in the Wild", NSDI'22;
/// github.com/alibaba/clusterdata, cluster-trace-gpu-v2020, pai_task_table.csv): CSV without a header,
/// ten columns job_name, task_name, inst_num, status, start_time, end_time, plan_cpu, plan_mem,
/// plan_gpu, gpu_type; times in seconds from the trace start, plan_gpu in percent of one GPU per
/// instance. A job is the union of its tasks: it asks for ceil(sum of inst_num x plan_gpu / 100)
/// GPUs, arrives when its first task starts (the task table has no submit time) and runs until its
/// last task ends. Tasks without times (never scheduled) are skipped; a task without plan_gpu
/// (a CPU-only parameter server) counts for the job's span with no GPUs; jobs with no GPU at all are skipped. A header row
/// starting with job_name is accepted.
/// </summary>
internal static class AlibabaPaiTrace
{
    private static readonly string[] Columns = ["job_name", "task_name", "inst_num", "status", "start_time", "end_time", "plan_cpu", "plan_mem", "plan_gpu", "gpu_type"];

    private sealed class Acc { public double Start = double.PositiveInfinity, End = double.NegativeInfinity, GpuPercent; public string? Type; }

    public static List<TraceJob> Read(string path, int maxJobs, TraceErrors errors)
    {
        var byJob = new Dictionary<string, Acc>();
        var order = new List<string>();
        using var csv = new CsvCursor(path);
        while (!errors.Full && csv.Next())
        {
            var f = csv.Fields;
            if (csv.Line == 1 && f.Count > 0 && f[0] == "job_name") continue;
            if (f.Count != Columns.Length)
            {
                errors.Add(csv.Line, 1, "row", $"expected {Columns.Length} fields ({string.Join(", ", Columns)}), got {f.Count}");
                continue;
            }
            if (TraceTime.IsMissing(f[4]) || TraceTime.IsMissing(f[5])) continue; // never ran
            bool ok = true;
            double Number(int i, double min)
            {
                if (double.TryParse(f[i], NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v) && v >= min) return v;
                errors.Add(csv.Line, csv.ColumnOf(i), Columns[i], $"expected a number >= {min}, got '{f[i]}'");
                ok = false;
                return 0;
            }
            double inst = TraceTime.IsMissing(f[2]) ? 1 : Number(2, 0);
            double start = Number(4, 0), end = Number(5, 0), gpu = TraceTime.IsMissing(f[8]) ? 0 : Number(8, 0);
            if (!ok) continue;
            if (end < start) { errors.Add(csv.Line, csv.ColumnOf(5), "end_time", $"ends ({end}) before it starts ({start})"); continue; }
            if (!byJob.TryGetValue(f[0], out var acc))
            {
                if (byJob.Count >= maxJobs) continue;
                byJob[f[0]] = acc = new Acc();
                order.Add(f[0]);
            }
            acc.Start = Math.Min(acc.Start, start);
            acc.End = Math.Max(acc.End, end);
            acc.GpuPercent += inst * gpu;
            if (gpu > 0 && !TraceTime.IsMissing(f[9])) acc.Type ??= f[9];
        }
        var jobs = new List<TraceJob>();
        foreach (var name in order)
        {
            var a = byJob[name];
            int gpus = (int)Math.Ceiling(a.GpuPercent / 100 - 1e-9);
            if (gpus < 1 || !(a.End > a.Start)) continue;
            jobs.Add(new TraceJob(name, a.Start, gpus, a.End - a.Start, a.Type));
        }
        return jobs;
    }
}
