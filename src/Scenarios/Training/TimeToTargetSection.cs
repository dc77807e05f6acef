using Sim.Models.Learning;
using Sim.Models.Training;
using Sim.Scenarios.Schema;
using static Sim.Scenarios.Schema.Schemas;

namespace Sim.Scenarios.Training;

/// <summary>
/// The optional <c>time_to_target:</c> section of a training scenario: a statistical-efficiency model
/// (gradient noise scale; McCandlish et al. 2018) for a target the run does not train to here. With it,
/// the run reports steps and seconds to the target (with confidence intervals over replications) next to
/// its throughput. Kept in its own file so the training schema gains one line.
/// </summary>
public static class TimeToTargetSection
{
    public static MapSchema Schema { get; } = Map(
        Field.Opt("target", String(), "What the target is (free text for reports), e.g. \"ResNet-50 ImageNet top-1 75.9%\"."),
        Field.Req("min_steps", Positive(), "S_min: steps to the target with an infinitely large batch (McCandlish et al. 2018, eq. 2.11); a measurement or a published figure for this model, data set and optimiser."),
        Field.Req("noise_scale", Positive(), "B_noise: the critical batch in examples (steps = S_min (1 + B_noise / B))."),
        Field.Opt("step_curvature", Positive(), "Learning rate x largest curvature (a = eta lambda_max, in (0, 1]) of the synchronous run, for the staleness penalty of asynchronous parameter servers (see StalenessPenalty); required for parameter_server asp/ssp."));

    /// <summary>Reads the section; errors (a mode the model does not cover, a missing step curvature)
    /// name the key.</summary>
    public static TimeToTarget? Read(ScenarioSection root, Modes.ITrainingMode mode, List<Sim.Scenarios.Yaml.ScenarioError> errors)
    {
        if (!root.Has("time_to_target")) return null;
        var s = root.GetSection("time_to_target");
        if (mode.TimeToTargetLimitation is { } limitation)
            errors.Add(root.ErrorAt("time_to_target", limitation));
        string? consistency = mode.StaleConsistency(root);
        if (consistency is not null && !s.Has("step_curvature"))
            errors.Add(s.ErrorAt("min_steps", $"parameter_server {consistency} updates are stale: give step_curvature (learning rate x curvature) for the staleness penalty"));
        if (s.Has("step_curvature") && s.GetDouble("step_curvature") > 1)
            errors.Add(s.ErrorAt("step_curvature", $"must be at most 1 (beyond it even undelayed gradient descent oscillates on the sharpest direction), got {s.GetDouble("step_curvature")}"));
        return new TimeToTarget
        {
            Convergence = new NoiseScaleConvergence(s.GetDouble("min_steps"), s.GetDouble("noise_scale")),
            StepCurvature = s.Has("step_curvature") ? s.GetDouble("step_curvature") : null,
        };
    }

    /// <summary>Examples per optimiser update and seconds per update of one replication: synchronous
    /// strategies update once per iteration with every contributing worker's micro-batch; asynchronous
    /// parameter servers update once per pushed micro-batch.</summary>
    public static (double Batch, double SecondsPerUpdate, double MeanStaleness) UpdateShape(TrainingScenario s, TrainingResult r)
    {
        if (s.ParameterServer is { Consistency: not PsConsistency.Bsp } ps)
            return (ps.MicroBatch, ps.MicroBatch / r.SamplesPerSecond, r.MeanStaleness);
        double batch = r.SamplesPerIteration - (double)s.DataParallel.BackupWorkers * s.DataParallel.MicroBatch;
        return (batch, r.MeanIterationTime, 0);
    }

    /// <summary>Adds steps_to_target, time_to_target_s (with its interval) and statistical_efficiency
    /// (Pollux's, against a batch of one micro-batch) when the scenario has the section.</summary>
    public static void AddMetrics(ReplicatedMetrics<TrainingResult> m, TrainingScenario s)
    {
        if (s.TimeToTarget is not { } model) return;
        m.Add("steps_to_target", r => { var u = UpdateShape(s, r); return model.Steps(u.Batch, u.MeanStaleness); }, interval: true);
        m.Add("time_to_target_s", r => { var u = UpdateShape(s, r); return model.Seconds(u.Batch, u.MeanStaleness, u.SecondsPerUpdate); }, interval: true);
        m.Add("statistical_efficiency", r => StatisticalEfficiency.Efficiency(model.Convergence.NoiseScale, s.DataParallel.MicroBatch, UpdateShape(s, r).Batch));
    }
}
