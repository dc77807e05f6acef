using Sim.Models.Faults;
using Sim.Models.Workloads;

namespace Sim.Models.Training;

/// <summary>How workers and parameter servers agree on time.</summary>
public enum PsConsistency
{
    /// <summary>Bulk synchronous: every step waits for every worker's gradient.</summary>
    Bsp,
    /// <summary>Asynchronous (Hogwild-style across machines): nobody waits.</summary>
    Asp,
    /// <summary>Stale synchronous (Ho et al., NIPS 2013): a worker may run at most s steps ahead of the slowest.</summary>
    Ssp,
}

/// <summary>A parameter-server training job (Li et al., OSDI 2014).</summary>
public sealed record ParameterServerConfig
{
    public required ModelSpec Model { get; init; }
    public required int Workers { get; init; }
    public required int MicroBatch { get; init; }
    /// <summary>BSP: global steps. ASP/SSP: the job ends after Workers x Iterations updates in total.</summary>
    public required int Iterations { get; init; }
    public PsConsistency Consistency { get; init; } = PsConsistency.Bsp;
    /// <summary>SSP's staleness bound s (0 behaves as BSP).</summary>
    public int Staleness { get; init; }
    public int Servers { get; init; } = 1;
    /// <summary>Gradient bytes a server folds into its parameters per second.</summary>
    public double AggregationBytesPerSecond { get; init; } = 20e9;
    public double GradientBytesPerParameter { get; init; } = 4;
    /// <summary>BSP only: the step proceeds with the first Workers - k gradients (Chen et al. 2016).</summary>
    public int BackupWorkers { get; init; }
    public StragglerModel Stragglers { get; init; } = StragglerModel.None;
    /// <summary>BSP only: a robust aggregation rule (issue #18) the servers run on the step's gathered
    /// gradients instead of folding each push in as it arrives; null = plain averaging.</summary>
    public Dependability.DefenceCost? Defence { get; init; }
    /// <summary>Prices <see cref="Defence"/>: the fitted kernel timings (<see cref="Dependability.AggregationCostModel.Measured"/>).</summary>
    public Dependability.AggregationCostModel DefenceCosts { get; init; } = Dependability.AggregationCostModel.Measured;

    public void Validate()
    {
        if (Workers < 1) throw new ArgumentException($"training.workers: must be >= 1, got {Workers}");
        if (MicroBatch < 1) throw new ArgumentException($"training.micro_batch: must be >= 1, got {MicroBatch}");
        if (Iterations < 1) throw new ArgumentException($"training.iterations: must be >= 1, got {Iterations}");
        if (Servers < 1) throw new ArgumentException($"training.servers: must be >= 1, got {Servers}");
        if (Staleness < 0) throw new ArgumentException($"training.staleness: must be >= 0, got {Staleness}");
        if (BackupWorkers < 0 || BackupWorkers >= Workers) throw new ArgumentException($"training.backup_workers: must be in [0, workers - 1], got {BackupWorkers}");
        if (BackupWorkers > 0 && Consistency != PsConsistency.Bsp) throw new ArgumentException("training.backup_workers: only meaningful with consistency: bsp");
        if (!(AggregationBytesPerSecond > 0)) throw new ArgumentException($"training.aggregation_bandwidth: must be > 0, got {AggregationBytesPerSecond}");
        if (Defence is { FitsInAllReduce: false } && Consistency != PsConsistency.Bsp)
            throw new ArgumentException($"defence.aggregator: {Defence.Name} needs every gradient of a step side by side, which only consistency: bsp gathers (got {Consistency.ToString().ToLowerInvariant()})");
        Stragglers.Validate();
    }
}
