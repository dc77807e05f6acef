using Sim.Models.Training;

namespace Sim.Scenarios.Training;

/// <summary>
/// Shortcuts for a training scenario's results folder (see <see cref="ResultsWriter"/> for what it holds
/// and how it is written): simulate into a <see cref="ScenarioOutcome"/>, then write it.
/// </summary>
public static class ResultsFolder
{
    /// <summary>Simulates <paramref name="scenario"/>, then writes its folder; returns the outcome.</summary>
    public static ScenarioOutcome RunAndWrite(TrainingScenario scenario, string directory, IProgress<int>? progress = null)
    {
        var outcome = TrainingOutcome.Simulate(scenario, progress);
        ResultsWriter.Write(outcome, directory);
        return outcome;
    }

    /// <summary>The settings of a run (<see cref="TrainingOutcome.Info"/>).</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Info(RunOutcome outcome) => TrainingOutcome.Info(outcome);

    /// <summary>The same job on one GPU (no communication), for scaling efficiency, simulated now; null
    /// where the mode has no one-GPU version. A run carries its own in <see cref="RunOutcome.SingleGpu"/>.</summary>
    public static TrainingResult? SingleGpuBaseline(TrainingScenario s) => s.Mode.SingleGpuBaseline(s);
}
