using Sim.Models.Hardware;

namespace Sim.Models.Compute;

/// <summary>
/// What a running communication kernel takes from compute kernels that run beside it on the same GPU,
/// like a delivery van that parks in two of a shop's checkout lanes while it unloads: the shop keeps
/// serving, but with fewer lanes and a busier stock room.
/// <list type="bullet">
/// <item>SMs: NCCL runs one thread block per channel and that block holds its SM for the whole
/// collective; compute kernels never share it (NVIDIA/nccl issue #689, S. Jeaugey: "NCCL CTAs won't
/// share an SM with compute kernels"). A compute-bound kernel keeps 1 - channels / SMs of its speed.</item>
/// <item>HBM bandwidth: every byte a collective moves over the links is written to and read back from
/// device memory, and user buffers are read or written too: 2x to 3x the link rate in HBM traffic
/// (NVIDIA/nccl issue #1428, S. Jeaugey). A memory-bound kernel keeps what HBM has left after that.</item>
/// </list>
/// Contract: both shares lie in [0, 1); the retained speeds are therefore in (0, 1]. Shares that would
/// reach 1 (a collective claiming every SM or all of HBM) are refused: compute would never finish.
/// </summary>
public readonly record struct CommInterference
{
    /// <summary>HBM bytes a collective moves per byte it puts on the links: stored to memory on arrival,
    /// read back to forward or reduce, and the user buffer read or written once more (NVIDIA/nccl issue
    /// #1428: "at least 2x ... it can be 3x"). The upper figure: the reduce collectives touch user data.</summary>
    public const double HbmBytesPerLinkByte = 3;

    /// <summary>NCCL channels (one SM each) per NIC a collective that crosses nodes runs: "on DGX with 8
    /// NICs ... it would use 16 SMs", a PCI system with one NIC 2 (NVIDIA/nccl issue #689, S. Jeaugey).</summary>
    public const int NcclChannelsPerNic = 2;

    /// <summary>NCCL channels per NVLink of a collective inside one node: 24 CTAs for an all-reduce over
    /// the 12 NVLinks of a DGX A100 GPU (NVIDIA/nccl issue #1225).</summary>
    public const int NcclChannelsPerNvLink = 2;

    /// <summary>NCCL's upper limit on channels per communicator (MAXCHANNELS, src/include/device.h: 32).</summary>
    public const int NcclMaxChannels = 32;

    /// <summary>
    /// SMs an overlapped data-parallel collective holds on each GPU of <paramref name="node"/>, one per
    /// NCCL channel: 2 per NIC when the group <paramref name="crossesNodes"/>, else 2 per NVLink, at most
    /// NCCL's 32; 0 when the node has neither (no figure to derive it from).
    /// </summary>
    public static int NcclChannels(NodeSpec node, bool crossesNodes)
    {
        ArgumentNullException.ThrowIfNull(node);
        int channels = crossesNodes ? NcclChannelsPerNic * node.NicCount : NcclChannelsPerNvLink * node.NvLinksPerGpu;
        return Math.Min(channels, NcclMaxChannels);
    }

    /// <summary>Fraction of the GPU's SMs the communication kernel occupies.</summary>
    public double SmShare { get; }

    /// <summary>Fraction of the achievable HBM bandwidth the communication kernel consumes.</summary>
    public double MemoryShare { get; }

    /// <summary>No communication running: compute keeps its full speed.</summary>
    public static CommInterference None => default;

    /// <summary>Shares given directly; each must lie in [0, 1).</summary>
    public CommInterference(double smShare, double memoryShare)
    {
        if (!(smShare >= 0 && smShare < 1)) throw new ArgumentOutOfRangeException(nameof(smShare), smShare, "must lie in [0, 1)");
        if (!(memoryShare >= 0 && memoryShare < 1)) throw new ArgumentOutOfRangeException(nameof(memoryShare), memoryShare, "must lie in [0, 1)");
        SmShare = smShare;
        MemoryShare = memoryShare;
    }

    /// <summary>
    /// A collective running <paramref name="channels"/> NCCL channels (one SM each) that moves
    /// <paramref name="linkBytesPerSecond"/> over its links (the bus bandwidth it achieves) on a device with
    /// <paramref name="facts"/>' SM count and <paramref name="memoryBandwidth"/> bytes/s of HBM, of which a
    /// streaming kernel reaches <see cref="GpuKernelFacts.MemoryEfficiency"/>.
    /// </summary>
    public static CommInterference Of(GpuKernelFacts facts, double memoryBandwidth, int channels, double linkBytesPerSecond)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (channels < 0) throw new ArgumentOutOfRangeException(nameof(channels), channels, "must be >= 0");
        if (channels >= facts.StreamingMultiprocessors)
            throw new ArgumentOutOfRangeException(nameof(channels), channels, $"must be below the device's {facts.StreamingMultiprocessors} SMs");
        if (!(linkBytesPerSecond >= 0)) throw new ArgumentOutOfRangeException(nameof(linkBytesPerSecond), linkBytesPerSecond, "must be >= 0");
        if (!(memoryBandwidth > 0)) throw new ArgumentOutOfRangeException(nameof(memoryBandwidth), memoryBandwidth, "must be > 0");
        double memoryShare = HbmBytesPerLinkByte * linkBytesPerSecond / (memoryBandwidth * facts.MemoryEfficiency);
        if (memoryShare >= 1)
            throw new ArgumentOutOfRangeException(nameof(linkBytesPerSecond), linkBytesPerSecond, "the collective's HBM traffic would use all of the device's achievable bandwidth");
        return new CommInterference((double)channels / facts.StreamingMultiprocessors, memoryShare);
    }

    /// <summary>Speed a compute-bound kernel (a GEMM, fused attention) keeps: its SMs minus the channels'.</summary>
    public double ComputeBoundSpeed => 1 - SmShare;

    /// <summary>Speed a memory-bound kernel (norm, softmax, element-wise) keeps: the HBM bandwidth left.</summary>
    public double MemoryBoundSpeed => 1 - MemoryShare;

    /// <summary>
    /// Speed a run of kernels keeps when <paramref name="computeBoundFraction"/> of its time alone is
    /// compute-bound and the rest memory-bound: each kernel stretches by the inverse of its own retained
    /// speed, so the run's speed is 1 / (f / computeBoundSpeed + (1 - f) / memoryBoundSpeed).
    /// </summary>
    public double RetainedSpeed(double computeBoundFraction)
    {
        if (!(computeBoundFraction >= 0 && computeBoundFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(computeBoundFraction), computeBoundFraction, "must lie in [0, 1]");
        return 1 / (computeBoundFraction / ComputeBoundSpeed + (1 - computeBoundFraction) / MemoryBoundSpeed);
    }
}
