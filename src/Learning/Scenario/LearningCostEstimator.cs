using Sim.Scenarios.Cost;

namespace Sim.Learning.Scenario;

/// <summary>
/// Estimates a learning scenario's cost before it runs: every strategy trains up to its update cap once
/// per replication; each update is a few kernel events and one real gradient of the model, and at most
/// one live parameter version per worker is kept (the loop frees versions nobody reads). An order of
/// magnitude, rounded up, like the training and federated estimators.
/// </summary>
public static class LearningCostEstimator
{
    /// <summary>One real gradient of the shipped small models on this machine kind: 0.125 ms plus
    /// 0.31 us per example (the `sim bench learning` microbenchmark, docs/time-to-accuracy.md).</summary>
    private const double GradientSecondsFixed = 125e-6, GradientSecondsPerExample = 0.31e-6;

    public static RunCost Estimate(LearningScenario s)
    {
        double events = 0, seconds = 0, memory = CostRates.BaselineBytes;
        foreach (var run in s.Strategies)
        {
            var c = run.Config;
            double updates = s.Replications * (double)c.MaxUpdates;
            events += updates * 4 + s.Replications * 4.0 * c.Workers;
            seconds += updates * (GradientSecondsFixed + GradientSecondsPerExample * c.Batch);
            // live versions (one per worker at most) of float parameters, plus curve points
            memory = Math.Max(memory, CostRates.BaselineBytes + (c.Workers + 2.0) * c.Model.ParameterCount * 4
                + updates / Math.Max(1, c.EvaluateEvery) * 64);
        }
        string driver = $"{s.Strategies.Count} strategies x {s.Replications} seeds, up to {s.Strategies.Max(r => r.Config.MaxUpdates):N0} updates";
        return new RunCost(events, memory, seconds, driver);
    }
}
