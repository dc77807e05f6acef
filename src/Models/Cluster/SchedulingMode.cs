namespace Sim.Models.Cluster;

/// <summary>How a scheduler hands out GPUs.</summary>
public enum SchedulingMode
{
    /// <summary>Whole gangs of dedicated GPUs: a job holds all its GPUs or none (FIFO, SJF, SRTF,
    /// Tiresias, Themis, Gavel-style). Placement and network contention apply.</summary>
    Gang,
    /// <summary>Fractions of GPUs by fine-grained time slicing (the limit of very short quanta):
    /// processor sharing and continuous least-attained-service, the textbook policies whose M/G/1
    /// formulas serve as oracles. Jobs run at their ideal speed times their share; no placement.</summary>
    TimeSliced,
}
