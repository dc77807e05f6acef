namespace Sim.Models.Learning.Loop;

/// <summary>
/// Local SGD (periodic model averaging; Lin, Stich, Patel and Jaggi, "Don't Use Large Mini-Batches, Use
/// Local SGD", ICLR 2020): each worker takes H steps on its own copy of the model with its slice of each
/// global batch, then the copies are averaged with one all-reduce of the parameters. Local steps use the
/// rate of the global batch (workers × batch), as the synchronous run would, so H = 1 is synchronous SGD
/// (tested). Communication happens once per H steps instead of every step; the price is that the copies
/// drift apart between averagings.
/// </summary>
public sealed class LocalSgd : LoopStrategy
{
    /// <summary>H: local steps between averagings (&gt;= 1).</summary>
    public required int LocalSteps { get; init; }

    public override string Name => $"local sgd (H={LocalSteps})";

    public override LoopOutcome Run(LoopConfig config)
    {
        if (LocalSteps < 1) throw new InvalidOperationException($"local SGD needs local steps >= 1, got {LocalSteps}");
        var run = new LoopRun(config) { StepsPerUpdate = LocalSteps };
        int n = config.Workers, b = config.Batch, p = run.Model.ParameterCount, h = LocalSteps;
        var data = new ExampleSampler(Enumerable.Range(0, run.Model.TrainingExamples).ToArray(), run.Sim.Random("learning.data"));
        var batch = new int[n * b];
        var local = new float[n][];
        for (int w = 0; w < n; w++) local[w] = new float[p];
        var average = new float[p];
        var busy = new double[n];
        double allReduce = config.Timing.AllReduceSeconds(n, p);
        double now = 0;
        run.Begin();
        while (!run.Stopped)
        {
            for (int w = 0; w < n; w++) { run.Versions.Current.AsSpan().CopyTo(local[w]); busy[w] = 0; }
            for (int j = 0; j < h; j++)
            {
                data.Next(batch);
                float rate = (float)run.RateFor(n * b, run.Steps + j);
                for (int w = 0; w < n; w++)
                {
                    busy[w] += run.StepSeconds(w, b, now + busy[w]);
                    run.ComputeGradient(local[w], batch.AsSpan(w * b, b), run.Gradient);
                    var x = local[w];
                    for (int i = 0; i < p; i++) x[i] -= rate * run.Gradient[i];
                }
            }
            Array.Clear(average);
            for (int w = 0; w < n; w++) { var x = local[w]; for (int i = 0; i < p; i++) average[i] += x[i]; }
            if (n > 1) { float inv = 1f / n; for (int i = 0; i < p; i++) average[i] *= inv; }
            now += busy.Max() + allReduce;
            run.Replace(average);
            run.CountStaleness(0);
            run.AfterUpdate(now);
        }
        return run.Finish(Name, now);
    }
}
