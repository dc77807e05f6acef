namespace Sim.Models.Learning.Loop;

/// <summary>
/// Synchronous data parallel SGD (bulk-synchronous): every step the workers take equal slices of one
/// global batch of workers × batch examples, compute gradients on the same parameters, average them
/// (a ring all-reduce) and apply one update at the rate for the global batch. A step lasts as long as
/// the slowest worker plus the all-reduce. With the same global batch and rate it is the same
/// computation as one worker with the whole batch, which the tests check.
/// </summary>
public sealed class SynchronousSgd : LoopStrategy
{
    public override string Name => "sync";

    public override LoopOutcome Run(LoopConfig config)
    {
        var run = new LoopRun(config);
        int n = config.Workers, b = config.Batch, p = run.Model.ParameterCount;
        var data = new ExampleSampler(Enumerable.Range(0, run.Model.TrainingExamples).ToArray(), run.Sim.Random("learning.data"));
        var batch = new int[n * b];
        var sum = new float[p];
        double allReduce = config.Timing.AllReduceSeconds(n, p);
        double now = 0;
        run.Begin();
        while (!run.Stopped)
        {
            data.Next(batch);
            double slowest = 0;
            Array.Clear(sum);
            for (int w = 0; w < n; w++)
            {
                slowest = Math.Max(slowest, run.StepSeconds(w, b, now));
                run.ComputeGradient(run.Versions.Current, batch.AsSpan(w * b, b), run.Gradient);
                for (int i = 0; i < p; i++) sum[i] += run.Gradient[i];
            }
            if (n > 1) { float inv = 1f / n; for (int i = 0; i < p; i++) sum[i] *= inv; }
            now += slowest + allReduce;
            run.ApplyDescent(sum, run.RateFor(n * b));
            run.CountStaleness(0);
            run.AfterUpdate(now);
        }
        return run.Finish(Name, now);
    }
}
