// One configuration of the profiler's DDP buffer sync benchmark (sim-measurements v6): torch 1.13's DistributedDataParallel
// calls _sync_buffers() before every forward of a module with buffers, whatever the world size, so a single DDP process pays
// it at every step: flatten the buffers, a one-rank gloo broadcast, copy the flat tensor back into each buffer. Measured on
// synthetic stacks of BatchNorm1d layers (three buffer tensors each), never on a validated model.
namespace Sim.Calibration.Traces;

/// <param name="Backend">Collective backend ("gloo").</param>
/// <param name="WorldSize">Ranks (1: DDP in a single process).</param>
/// <param name="Layers">BatchNorm1d layers of the synthetic module.</param>
/// <param name="Width">Features of each layer.</param>
/// <param name="Tensors">Buffer tensors of the module (running mean, running variance and the batch counter per layer).</param>
/// <param name="Bytes">Bytes of those buffers.</param>
/// <param name="Calls">Timed calls.</param>
/// <param name="CpuSeconds">Median process CPU per call of _sync_buffers().</param>
public sealed record DdpBufferSyncMeasurement(string Backend, int WorldSize, int Layers, int Width, int Tensors, long Bytes, int Calls, double CpuSeconds);
