using Sim.Models.Hardware;

namespace Sim.Models.Collectives.Nccl;

/// <summary>
/// What NCCL's tuning model needs to know about a communicator: ranks, nodes, the GPU generation,
/// whether GPUs meet on NVLink or PCIe and at what bandwidth NCCL's topology model counts those links,
/// the network bandwidth per node, the host CPU vendor and whether NVLink SHARP is there.
/// </summary>
public sealed record NcclSystem
{
    public required int Ranks { get; init; }
    public required int Nodes { get; init; }
    /// <summary>CUDA compute capability x 10 (70, 80, 90).</summary>
    public required int ComputeCapability { get; init; }
    public required bool NvLink { get; init; }
    /// <summary>Intra-node bandwidth per GPU as NCCL's topology model counts it, GB/s.</summary>
    public required double IntraGBps { get; init; }
    /// <summary>Network bandwidth per node (all NICs), GB/s.</summary>
    public required double InterGBps { get; init; }
    public required bool AmdHost { get; init; }
    /// <summary>NVSwitch with in-switch reductions (third-generation NVSwitch, Hopper).</summary>
    public required bool NvlsCapable { get; init; }

    /// <summary>
    /// Network latency the network plugin reports to NCCL, us (ncclNetProperties_t.latency): NCCL's tuner
    /// adds it to every network hop, twice for Simple (src/graph/tuning.cc, NCCL 2.19). 0 for NCCL's own
    /// InfiniBand and socket transports; the AWS plugin reports 75 us on p4d, p4de and p5 (aws-ofi-nccl
    /// src/platform-aws.cpp, since v1.7), a figure AWS derived from all-reduce latencies measured on those
    /// instances through NCCL's own latency formula (aws-ofi-nccl commit d87d61e, 2023).
    /// </summary>
    public double NetLatencyMicroseconds { get; init; }

    /// <summary>NCCL's Simple-protocol buffer per channel and peer, bytes (NCCL_BUFFSIZE; 4 MiB by default,
    /// src/init.cc DEFAULT_BUFFSIZE). A Simple step is an eighth of it (NCCL_STEPS = 8); NVLS-tree
    /// starts its chunk from one step (<see cref="NvlsPipeline.ChunkBytes"/>).</summary>
    public long SimpleBufferBytes { get; init; } = DefaultSimpleBufferBytes;

    /// <summary>NCCL's default NCCL_BUFFSIZE, 4 MiB.</summary>
    public const long DefaultSimpleBufferBytes = 4L << 20;

    /// <summary>Only the Simple protocol is enabled (NCCL_PROTO=simple), as some published runs set it.</summary>
    public bool SimpleOnly { get; init; }

    /// <summary>
    /// NCCL's minor version (2.x: x) whose tuning tables apply. 20 (NCCL 2.19-2.20 tables) unless a run
    /// names its version. From 2.21 on (src/graph/tuning.cc) the ring LL bandwidth is the links' half, not
    /// a quarter, single-node Hopper's LL cap is 141 GB/s, not 87.7, and NVLS and NVLS-tree latency inside
    /// a node is 25 us, not 23; from 2.23 tree Simple is re-measured (8.4 us base, 4 us per NVLink hop, 14 per
    /// network hop) and rings count 2 (nodes - 1) network steps; up to 2.17 a plugin's latency replaced
    /// NCCL's network hop (<see cref="NcclTuningModel"/>). Modelled from 2.17 to 2.27 (2.28 adds per-channel
    /// NVLS-tree caps, not modelled).
    /// </summary>
    public int NcclMinorVersion { get; init; } = DefaultNcclMinorVersion;

    /// <summary>The NCCL version the model assumes where none is named: 2.20 (the tables the model was
    /// first checked with; every curve with a stated version up to 2.20 keeps them).</summary>
    public const int DefaultNcclMinorVersion = 20;

    public int RanksPerNode => Ranks / Nodes;

    /// <summary>
    /// The NVLink bandwidth per GPU an Ampere GPU's SMs reach through NVSwitch, GB/s: NCCL counts twelve
    /// links at 20 GB/s (240, <see cref="IntraGBps"/>), "but some other bottlenecks on the GPUs limits it to
    /// ~230GB/s" (S. Jeaugey, NCCL maintainer, NVIDIA/nccl-tests issue #149, 2023-07-05). Hopper reaches what
    /// NCCL counts (~370 GB/s of 370.8, NVIDIA/nccl-tests issue #212), Volta is not stated: both keep it.
    /// </summary>
    public const double AmpereNvLinkAchievedGBps = 230;

    /// <summary>
    /// Intra-node bandwidth per GPU NCCL's kernels achieve, GB/s: <see cref="IntraGBps"/>, capped on Ampere
    /// NVLink at <see cref="AmpereNvLinkAchievedGBps"/>. NCCL's tuner ranks algorithms by what it counts
    /// (<see cref="IntraGBps"/>); the kernels then run at this (<see cref="NcclCollectiveTime.Predict"/>).
    /// </summary>
    public double AchievedIntraGBps => NvLink && ComputeCapability is >= 80 and < 90
        ? Math.Min(IntraGBps, AmpereNvLinkAchievedGBps) : IntraGBps;

    /// <summary>
    /// A communicator over every GPU of <paramref name="nodes"/> preset servers. NCCL counts an NVLink
    /// at 20.0 GB/s on Volta and Ampere and 20.6 GB/s on Hopper (src/graph/topo.h, SM70/SM80/SM90
    /// NVLINK_BW), not its 25 GB/s signalling rate, and a PCIe Gen3 x16 path at 12 GB/s (PCI_BW);
    /// NICs count at their line rate.
    /// </summary>
    public static NcclSystem For(NodeSpec node, int nodes)
    {
        if (!node.Device.IsGpu || node.Device.ComputeCapability < 70)
            throw new SpecError($"node '{node.Name}'", $"NCCL's model covers NVIDIA GPUs from Volta on; {node.Device.Name} is not one");
        if (nodes < 1) throw new SpecError("nodes", $"must be >= 1, got {nodes}");
        double perLink = node.Device.ComputeCapability >= 90 ? 20.6 : 20.0;
        bool nvlink = node.NvLinksPerGpu > 0;
        return new NcclSystem
        {
            Ranks = nodes * node.DevicesPerNode,
            Nodes = nodes,
            ComputeCapability = node.Device.ComputeCapability,
            NvLink = nvlink,
            IntraGBps = nvlink ? node.NvLinksPerGpu * perLink : 12.0,
            InterGBps = node.NicCount * node.NicBandwidth / 1e9,
            AmdHost = node.HostCpuVendor == "amd",
            NvlsCapable = node.IntraNode == IntraNodeFabric.NvSwitch && node.Device.ComputeCapability >= 90,
        };
    }
}
