namespace Sim.Models.Cluster;

/// <summary>
/// A kind of GPU in a heterogeneous cluster and how fast a job runs on it relative to the reference
/// type (1.0). A gang spanning several types runs at the speed of its slowest member (synchronous
/// data parallel waits for the slowest worker). Relative speeds are inputs: take them from a
/// measurement such as Gavel's throughput tables (Narayanan et al., OSDI 2020, Fig. 1) or
/// from the detailed model, and name the source in the scenario.
/// </summary>
public sealed record GpuType(string Name, double Speed)
{
    public static readonly GpuType Default = new("gpu", 1.0);
}
