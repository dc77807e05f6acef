using Sim.Core;

namespace Sim.Models.Training;

/// <summary>
/// One shape for every training strategy: build it on a simulation (its constructor), <see cref="Start"/>
/// its processes, run the simulation, then read <see cref="Result"/>. <see cref="TrainingJob.RunToEnd"/>
/// does the last three steps and refuses a job that did not finish.
/// </summary>
public interface ITrainingJob
{
    /// <summary>Schedules the job's processes at the current simulated time. Call once.</summary>
    void Start();

    /// <summary>True once every iteration has completed.</summary>
    bool Finished { get; }

    /// <summary>What the run predicts; <see cref="InvalidOperationException"/> before <see cref="Finished"/>.</summary>
    TrainingResult Result();
}

/// <summary>Runs an <see cref="ITrainingJob"/> to its end.</summary>
public static class TrainingJob
{
    /// <summary>Starts <paramref name="job"/>, runs <paramref name="simulation"/> until its agenda is empty
    /// and returns the result. Throws <see cref="InvalidOperationException"/> if the agenda ran dry before
    /// the job finished (a dependency that is never satisfied: a model bug, never bad input).</summary>
    public static TrainingResult RunToEnd(Simulation simulation, ITrainingJob job)
    {
        job.Start();
        simulation.Run();
        if (!job.Finished) throw new InvalidOperationException($"{job.GetType().Name} stalled at t = {simulation.Now} s before finishing (a dependency was never satisfied)");
        return job.Result();
    }
}
