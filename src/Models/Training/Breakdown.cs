namespace Sim.Models.Training;

/// <summary>
/// Where the time of a training job went, in seconds summed over iterations, from the point of view
/// of an average worker: its own compute, communication it could not hide behind compute, waiting
/// for slower workers, pipeline bubbles, checkpoints, and work lost to failures (including restarts).
/// The parts add up to the job's wall time.
/// </summary>
public sealed record Breakdown(double Compute, double ExposedCommunication, double StragglerWait, double Bubble, double Checkpoint, double FailureLoss)
{
    public double Total => Compute + ExposedCommunication + StragglerWait + Bubble + Checkpoint + FailureLoss;

    public IEnumerable<(string Part, double Seconds)> Parts()
    {
        yield return ("compute", Compute);
        yield return ("exposed communication", ExposedCommunication);
        yield return ("straggler wait", StragglerWait);
        yield return ("pipeline bubble", Bubble);
        yield return ("checkpoint", Checkpoint);
        yield return ("failure loss", FailureLoss);
    }
}
