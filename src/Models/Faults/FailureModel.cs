namespace Sim.Models.Faults;

/// <summary>
/// Crashes and how a job recovers from them. Each GPU and each node fails independently as a Poisson
/// process with its mean time between failures, so the job as a whole fails at rate
/// gpus/MTBF_gpu + nodes/MTBF_node. A failure loses the work since the last completed checkpoint and
/// costs detection plus restart time; checkpoints cost time too. Young's approximation (Young, CACM
/// 1974) gives the checkpoint interval that minimises the waste: sqrt(2 * checkpoint cost * MTBF).
/// </summary>
public sealed record FailureModel
{
    public double GpuMtbfSeconds { get; init; } = double.PositiveInfinity;
    public double NodeMtbfSeconds { get; init; } = double.PositiveInfinity;
    public double DetectionSeconds { get; init; }
    public double RestartSeconds { get; init; }
    public double CheckpointSeconds { get; init; }
    /// <summary>Time between the end of one checkpoint and the start of the next; infinity = never.</summary>
    public double CheckpointIntervalSeconds { get; init; } = double.PositiveInfinity;

    /// <summary>Mean time between failures of the whole job.</summary>
    public double SystemMtbf(int gpus, int nodes) => 1 / (gpus / GpuMtbfSeconds + nodes / NodeMtbfSeconds);

    public static double YoungInterval(double checkpointSeconds, double systemMtbf) => Math.Sqrt(2 * checkpointSeconds * systemMtbf);

    public bool FailuresPossible => double.IsFinite(GpuMtbfSeconds) || double.IsFinite(NodeMtbfSeconds);

    public void Validate(string path = "failures")
    {
        if (!(GpuMtbfSeconds > 0)) throw new ArgumentException($"{path}.gpu_mtbf: must be > 0, got {GpuMtbfSeconds}");
        if (!(NodeMtbfSeconds > 0)) throw new ArgumentException($"{path}.node_mtbf: must be > 0, got {NodeMtbfSeconds}");
        if (!(DetectionSeconds >= 0)) throw new ArgumentException($"{path}.detection: must be >= 0, got {DetectionSeconds}");
        if (!(RestartSeconds >= 0)) throw new ArgumentException($"{path}.restart: must be >= 0, got {RestartSeconds}");
        if (!(CheckpointSeconds >= 0)) throw new ArgumentException($"{path}.checkpoint_cost: must be >= 0, got {CheckpointSeconds}");
        if (!(CheckpointIntervalSeconds > 0)) throw new ArgumentException($"{path}.checkpoint_interval: must be > 0, got {CheckpointIntervalSeconds}");
    }
}
