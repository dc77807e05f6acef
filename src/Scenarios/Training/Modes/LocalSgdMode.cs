using Sim.Scenarios.Yaml;

namespace Sim.Scenarios.Training.Modes;

/// <summary>
/// <c>local_sgd</c>: every worker takes <c>training.local_steps</c> (H) optimizer steps on its own, then
/// the model is averaged with one bucketed all-reduce (Lin et al., "Don't use large mini-batches, use
/// local SGD", ICLR 2020). The data-parallel job with H &gt; 1; everything else as <c>data_parallel</c>.
/// </summary>
[TrainingMode(20)]
public sealed class LocalSgdMode : DataParallelMode, ITrainingMode
{
    public override string Name => "local_sgd";
    public override string Description => "model averaging every training.local_steps steps";
    public override bool SupportsDefences => false;
    public override bool SupportsCoding => false;
    string? ITrainingMode.TimeToTargetLimitation => "the noise-scale model has no rule for local SGD's periodic averaging; use training in the loop (`sim learn`) for local SGD";

    public override TrainingScenario Configure(TrainingScenario draft, ScenarioSection root, List<ScenarioError> errors) =>
        draft with { DataParallel = draft.DataParallel with { LocalSteps = root.GetSection("training").GetInt("local_steps") } };
}
