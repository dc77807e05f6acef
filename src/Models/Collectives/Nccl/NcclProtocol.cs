namespace Sim.Models.Collectives.Nccl;

/// <summary>
/// NCCL's three wire protocols, a trade between latency and bandwidth like couriers versus freight:
/// LL (low latency) sends 8-byte words of 4 data bytes and a flag, polled by the receiver, so half the
/// link carries flags; LL128 sends 128-byte lines of 120 data bytes with the flag inside (needs NVLink's
/// ordering); Simple sends large chunks with memory fences between steps: full bandwidth, microseconds
/// per step. (NCCL documentation; Hu et al., "Demystifying NCCL", arXiv:2507.04786, 2025.)
/// </summary>
public enum NcclProtocol { Ll, Ll128, Simple }
