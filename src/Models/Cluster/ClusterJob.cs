namespace Sim.Models.Cluster;

/// <summary>
/// One training job as the cluster sees it when it is submitted: when it arrives, how many GPUs it
/// asks for (a gang: all at once or not at all), and how much work it brings. Work is counted in
/// <see cref="Profile"/>'s units: iterations for a job with a training profile, otherwise seconds of
/// service on its GPUs at full speed (the usual unit of queueing theory and of cluster traces).
/// </summary>
/// <param name="Id">Unique, non-negative; also the final tie-breaker of every scheduler, for determinism.</param>
/// <param name="Arrival">Submission time in seconds since the start of the simulation.</param>
/// <param name="Gpus">Gang size, at least 1.</param>
/// <param name="Work">Iterations (with a profile) or seconds at full speed (without), &gt; 0.</param>
/// <param name="EstimatedWork">What a scheduler that "knows" durations is told (SJF, SRTF, backfilling):
/// the true work for perfect knowledge, or a noisy prediction; &gt; 0.</param>
/// <param name="Profile">How fast an iteration runs for a given placement and bandwidth; null: the job
/// progresses at one unit per second whenever it holds its GPUs and is not slowed by the network.</param>
/// <param name="Name">For reports (a trace's job id, or "job-17").</param>
/// <param name="GpuType">Required GPU type, or null for any type.</param>
public sealed record ClusterJob(
    int Id,
    double Arrival,
    int Gpus,
    double Work,
    double EstimatedWork,
    TrainingProfile? Profile = null,
    string? Name = null,
    string? GpuType = null)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first impossible field.</summary>
    public void Validate()
    {
        if (Id < 0) throw new ArgumentException($"job {Id}: id must be >= 0");
        if (!(Arrival >= 0) || !double.IsFinite(Arrival)) throw new ArgumentException($"job {Id}: arrival must be a finite time >= 0, got {Arrival}");
        if (Gpus < 1) throw new ArgumentException($"job {Id}: gpus must be >= 1, got {Gpus}");
        if (!(Work > 0) || !double.IsFinite(Work)) throw new ArgumentException($"job {Id}: work must be finite and > 0, got {Work}");
        if (!(EstimatedWork > 0) || !double.IsFinite(EstimatedWork)) throw new ArgumentException($"job {Id}: estimated work must be finite and > 0, got {EstimatedWork}");
    }

    public string DisplayName => Name ?? $"job-{Id}";
}
