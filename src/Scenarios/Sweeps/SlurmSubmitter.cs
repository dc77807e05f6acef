using Sim.Core.Files;
using System.Globalization;
using System.Text;
using Sim.Reports;

namespace Sim.Scenarios.Sweeps;

/// <summary>
/// Sends a sweep to Slurm as a job array, like a dispatcher handing numbered delivery routes to
/// drivers: array task i runs <c>sweep run SWEEP --shard i/n --out DIR</c> into the shared results
/// folder, the dispatcher polls <c>squeue</c> until every route is done, then merges. Because shards
/// write atomic per-run files, a failed or preempted task can simply be resubmitted.
/// </summary>
public sealed class SlurmSubmitter(SlurmOptions options)
{
    public SlurmOptions Options { get; } = options;

    /// <summary>Writes <c>DIR/slurm/sweep.sbatch</c> (atomically) and returns its path.</summary>
    public string WriteScript(string sweepPath, int shards, string outDirectory, string jobName)
    {
        if (shards < 1) throw new ArgumentOutOfRangeException(nameof(shards), shards, "expected at least one shard");
        string outDir = Path.GetFullPath(outDirectory);
        string slurmDir = Path.Combine(outDir, "slurm");
        var script = new StringBuilder();
        script.Append("#!/bin/bash\n");
        script.Append("#SBATCH --job-name=").Append(Sanitize(jobName)).Append('\n');
        script.Append("#SBATCH --array=0-").Append(shards - 1).Append('\n');
        script.Append("#SBATCH --output=").Append(Path.Combine(slurmDir, "shard-%a.log")).Append('\n');
        script.Append("#SBATCH --cpus-per-task=").Append(Options.CpusPerTask).Append('\n');
        if (Options.Partition is { } partition) script.Append("#SBATCH --partition=").Append(Sanitize(partition)).Append('\n');
        if (Options.TimeLimit is { } limit) script.Append("#SBATCH --time=").Append(Sanitize(limit)).Append('\n');
        script.Append("set -euo pipefail\n");
        script.Append("exec");
        foreach (var part in Options.SimCommand) script.Append(' ').Append(Quote(part));
        script.Append(" sweep run ").Append(Quote(Path.GetFullPath(sweepPath)));
        script.Append(" --shard \"${SLURM_ARRAY_TASK_ID}/").Append(shards).Append('"');
        script.Append(" --out ").Append(Quote(outDir));
        script.Append(" --jobs ").Append(Options.CpusPerTask.ToString(CultureInfo.InvariantCulture)).Append('\n');
        string path = Path.Combine(slurmDir, "sweep.sbatch");
        AtomicFile.WriteAllText(path, script.ToString());
        return path;
    }

    /// <summary>Submits with <c>sbatch --parsable</c> and returns the array job id.</summary>
    public string Submit(string scriptPath)
    {
        var result = ExternalProcess.Run("sbatch", ["--parsable", scriptPath], Options.Environment);
        if (result.ExitCode != 0)
            throw new SweepException($"sbatch failed (exit {result.ExitCode}): {result.Error.Trim()}{result.Output.Trim()}");
        string id = result.Output.Trim().Split(';')[0];
        if (id.Length == 0 || !id.All(char.IsAsciiDigit))
            throw new SweepException($"sbatch printed no job id: '{result.Output.Trim()}'");
        return id;
    }

    /// <summary>Polls <c>squeue</c> until no task of the job is pending or running.</summary>
    public void WaitUntilDone(string jobId, Action<string>? progress = null, CancellationToken cancellation = default)
    {
        var deadline = DateTime.UtcNow + Options.WaitLimit;
        string last = "";
        while (true)
        {
            var result = ExternalProcess.Run("squeue", ["--noheader", "--jobs", jobId, "--array", "--format=%i %T"], Options.Environment);
            // squeue reports an unknown job id once the job has left the queue.
            if (result.ExitCode != 0 && !result.Error.Contains("Invalid job id", StringComparison.OrdinalIgnoreCase))
                throw new SweepException($"squeue failed (exit {result.ExitCode}): {result.Error.Trim()}");
            var tasks = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (tasks.Length == 0) return;
            string state = string.Join(", ", tasks.Select(t => t.Split(' ').Last()).GroupBy(s => s).Select(g => $"{g.Count()} {g.Key.ToLowerInvariant()}"));
            if (state != last) progress?.Invoke($"job {jobId}: {state}");
            last = state;
            if (DateTime.UtcNow > deadline)
                throw new SweepException($"job {jobId} still has {tasks.Length} task(s) queued or running after {Options.WaitLimit}; merge later with 'sweep merge'");
            Task.Delay(Options.PollInterval, cancellation).Wait(cancellation);
        }
    }

    /// <summary>
    /// Validates and records the sweep, submits the array, waits and merges into <c>DIR/results.csv</c>.
    /// A missing run after the wait names its point and points at the shard logs.
    /// </summary>
    public SweepMerger.Summary Run(SweepPlan plan, int shards, string outDirectory, Action<string>? progress = null, CancellationToken cancellation = default)
    {
        new SweepResultStore(outDirectory).EnsureManifest(plan);
        string script = WriteScript(plan.Spec.File, shards, outDirectory, "sim-" + plan.Spec.Name);
        string jobId = Submit(script);
        progress?.Invoke($"submitted job array {jobId} with {shards} task(s)");
        WaitUntilDone(jobId, progress, cancellation);
        try
        {
            return SweepMerger.Merge([outDirectory], Path.Combine(outDirectory, "results.csv"));
        }
        catch (SweepException e)
        {
            throw new SweepException($"{e.Message}{System.Environment.NewLine}shard logs: {Path.Combine(Path.GetFullPath(outDirectory), "slurm")}/shard-*.log");
        }
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''") + "'";

    private static string Sanitize(string text) => new(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' ? c : '_').ToArray());
}
