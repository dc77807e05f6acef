namespace Sim.Models.Learning;

/// <summary>
/// Time to a training target for a run too large to train here: the convergence model's steps at the
/// run's batch per update, multiplied by the staleness penalty when updates are stale, times the
/// simulated seconds per update. The throughput side comes from the simulation; the statistical side
/// from <see cref="NoiseScaleConvergence"/> and <see cref="StalenessPenalty"/>.
/// </summary>
public sealed record TimeToTarget
{
    /// <summary>Steps-to-target against batch size.</summary>
    public required NoiseScaleConvergence Convergence { get; init; }

    /// <summary>a = ηλ for the staleness penalty; null: updates are assumed fresh and a stale run is an
    /// error (<see cref="Steps"/> refuses to guess).</summary>
    public double? StepCurvature { get; init; }

    /// <summary>Optimiser updates to the target at <paramref name="batchPerUpdate"/> examples per update
    /// and a mean staleness of <paramref name="meanStaleness"/> updates.</summary>
    /// <exception cref="InvalidOperationException">stale updates without a <see cref="StepCurvature"/>.</exception>
    public double Steps(double batchPerUpdate, double meanStaleness)
    {
        double steps = Convergence.StepsToTarget(batchPerUpdate);
        if (meanStaleness <= 0) return steps;
        if (StepCurvature is not double a)
            throw new InvalidOperationException($"updates are {meanStaleness:G4} steps stale on average but no step curvature (learning rate x curvature) was given for the staleness penalty");
        return steps * StalenessPenalty.StepFactor(meanStaleness, a);
    }

    /// <summary>Simulated seconds to the target: <see cref="Steps"/> × seconds per update.</summary>
    public double Seconds(double batchPerUpdate, double meanStaleness, double secondsPerUpdate) =>
        Steps(batchPerUpdate, meanStaleness) * secondsPerUpdate;
}
