namespace Sim.Scenarios.Sweeps;

/// <summary>
/// Runs a sweep's runs on local cores, like a kitchen brigade working through a ticket rail: each
/// cook takes the next unfinished ticket, and a ticket is spiked (written to the results folder)
/// the moment its dish is done. Runs already on the spike are skipped, so stopping and restarting
/// at any moment neither loses nor repeats finished work. Results do not depend on the number of
/// threads: every run's seed is fixed by the plan, and merging orders rows by the plan.
/// </summary>
public sealed class SweepRunner(ISweepEvaluator evaluator)
{
    public sealed record Summary(int RunsInShard, int Skipped, int Completed);

    /// <summary>Reserved CSV column names that metrics may not use.</summary>
    public static readonly IReadOnlyList<string> FixedColumns = ["run_id", "point_id", "replication", "seed"];

    public Summary Run(SweepPlan plan, string outDirectory, ShardSpec shard, int jobs,
        CancellationToken cancellation = default, Action<SweepRun>? finished = null)
    {
        if (jobs < 1) throw new ArgumentOutOfRangeException(nameof(jobs), jobs, "expected at least one job");
        var store = new SweepResultStore(outDirectory);
        store.EnsureManifest(plan);
        Directory.CreateDirectory(store.RunsDirectory);

        var mine = plan.Runs.Where(r => shard.Contains(r.Index)).ToList();
        var todo = new List<SweepRun>();
        foreach (var run in mine)
        {
            if (store.IsFinished(run, plan.Fingerprint)) continue;
            store.DeleteLeftovers(run);
            todo.Add(run);
        }

        int completed = 0;
        var options = new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancellation };
        try
        {
            Parallel.ForEach(todo, options, (run, _) =>
            {
                IReadOnlyDictionary<string, double> metrics;
                try
                {
                    metrics = evaluator.Evaluate(run.Point.Scenario, run.Seed, cancellation);
                    CheckMetrics(plan, run, metrics);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    throw new SweepException($"run {run.Id} ({run.Point.Describe()}, seed {run.Seed}) failed: {e.Message}", e);
                }
                store.SaveRun(run, plan.Fingerprint, metrics);
                Interlocked.Increment(ref completed);
                finished?.Invoke(run);
            });
        }
        catch (AggregateException e) when (e.InnerExceptions.All(i => i is OperationCanceledException))
        {
            throw new OperationCanceledException("sweep cancelled", e, cancellation);
        }
        catch (AggregateException e) when (e.InnerExceptions.FirstOrDefault(i => i is SweepException) is { } failure)
        {
            // Other runs that were in flight finished and were saved; a rerun resumes after the fix.
            throw new SweepException(failure.Message + (e.InnerExceptions.Count > 1 ? $" (and {e.InnerExceptions.Count - 1} more failures)" : ""), failure.InnerException!);
        }
        return new Summary(mine.Count, mine.Count - todo.Count, completed);
    }

    private static void CheckMetrics(SweepPlan plan, SweepRun run, IReadOnlyDictionary<string, double> metrics)
    {
        if (metrics.Count == 0)
            throw new InvalidOperationException($"evaluator returned no metrics for run {run.Id} ({run.Point.Describe()})");
        foreach (var name in metrics.Keys)
            if (string.IsNullOrWhiteSpace(name) || FixedColumns.Contains(name) || plan.ParameterKeys.Contains(name))
                throw new InvalidOperationException($"evaluator returned metric name '{name}', which is empty or clashes with a result column");
    }
}
