namespace Sim.Scenarios;

/// <summary>
/// A validated scenario of any kind, ready to simulate: what <c>sim run</c> needs to announce it,
/// re-seed it and turn it into a <see cref="ScenarioOutcome"/>. Each kind (<see cref="IScenarioKind"/>)
/// wraps its own scenario type in one of these.
/// </summary>
public abstract class RunnableScenario
{
    public abstract string Name { get; }

    /// <summary>The file it came from ("built-in" for the quick-start).</summary>
    public abstract string Source { get; }

    /// <summary>What is simulated, in a few words ("16 workers, resnet50").</summary>
    public abstract string Headline { get; }

    public abstract int Replications { get; }

    /// <summary>The same scenario with run seed <paramref name="seed"/> (replication r uses seed + r).</summary>
    public abstract RunnableScenario WithSeed(ulong seed);

    /// <summary>Simulates every replication, reporting each one done to <paramref name="progress"/>.</summary>
    public abstract ScenarioOutcome Simulate(IProgress<int>? progress = null);
}
