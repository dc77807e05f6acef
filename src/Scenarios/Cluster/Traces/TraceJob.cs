namespace Sim.Scenarios.Cluster.Traces;

/// <summary>A job as a trace records it, before times are shifted to start at zero.</summary>
internal readonly record struct TraceJob(string Name, double Submit, int Gpus, double Duration, string? GpuType);
