namespace Sim.Scenarios.Sweeps;

/// <summary>
/// How sweep shards are launched on a Slurm cluster, like the delivery instructions on a shipping
/// label: which program, which partition, how many cores and how long each task may take.
/// </summary>
public sealed record SlurmOptions
{
    /// <summary>The program (and leading arguments) that understands <c>sweep run</c>, for example <c>["dotnet", "/opt/sim/sim.dll"]</c>.</summary>
    public required IReadOnlyList<string> SimCommand { get; init; }
    public string? Partition { get; init; }
    /// <summary>Cores per array task; also the task's <c>--jobs</c>.</summary>
    public int CpusPerTask { get; init; } = 1;
    /// <summary>Slurm time limit per task, such as <c>01:00:00</c>; null leaves the partition default.</summary>
    public string? TimeLimit { get; init; }
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Give up waiting after this long (the jobs keep running; merge later with <c>sweep merge</c>).</summary>
    public TimeSpan WaitLimit { get; init; } = TimeSpan.FromHours(24);
    /// <summary>Extra environment for sbatch/squeue, such as <c>SLURM_CONF</c>.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
