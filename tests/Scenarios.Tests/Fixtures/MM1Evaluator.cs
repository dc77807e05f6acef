using Sim.Scenarios.Schema;
using Sim.Scenarios.Sweeps;

namespace Sim.Scenarios.Tests.Fixtures;

/// <summary>
/// A deterministic sweep evaluator for tests: an M/M/1 queue, answered twice. In closed form, the
/// mean response time is 1/(mu - lambda) and the utilisation rho = lambda/mu; by simulation, the
/// Lindley recursion W(n+1) = max(0, W(n) + S(n) - A(n+1)) over seeded exponential draws gives a
/// sample mean that depends on the seed. Results are therefore checkable against a formula and
/// reproducible bit for bit.
/// </summary>
public sealed class MM1Evaluator : ISweepEvaluator
{
    public MapSchema Schema => DemoSchema.Schema;

    public IReadOnlyDictionary<string, double> Evaluate(ScenarioDocument scenario, ulong seed, CancellationToken cancellation)
    {
        double lambda = scenario.GetDouble("queue.arrival_rate");
        double mu = scenario.GetDouble("queue.service_rate");
        int customers = scenario.GetInt("customers");
        int workMs = scenario.GetInt("work_ms");
        if (workMs > 0 && cancellation.WaitHandle.WaitOne(workMs)) cancellation.ThrowIfCancellationRequested();
        if (scenario.GetBool("fail")) throw new InvalidOperationException("this point fails on purpose");

        var random = new Random(unchecked((int)(seed ^ (seed >> 32))));
        double Exponential(double rate) => -Math.Log(1 - random.NextDouble()) / rate;
        double wait = 0, totalResponse = 0;
        for (int n = 0; n < customers; n++)
        {
            double service = Exponential(mu);
            totalResponse += wait + service;
            wait = Math.Max(0, wait + service - Exponential(lambda));
        }
        return new Dictionary<string, double>
        {
            ["utilisation"] = lambda / mu,
            ["mean_response_analytic"] = lambda < mu ? 1 / (mu - lambda) : double.PositiveInfinity,
            ["mean_response_simulated"] = totalResponse / customers,
        };
    }
}
