namespace Sim.Models.Hardware;

/// <summary>
/// Real machines by name, like a catalogue of car models with their factory specifications. Every
/// figure names its source; peak rates are the datasheets' dense (non-sparse) figures. Bandwidths are
/// bytes/s per direction, latencies seconds.
/// </summary>
public static class HardwarePresets
{
    private const double GB = 1e9, TF = 1e12, GiB = 1024.0 * 1024 * 1024;

    // Tensor-core GEMM output tiles: 256x128, 128x256 and 128x128 are the large tensor-op tiles of
    // cuBLAS/CUTLASS on Ampere and Hopper (NVIDIA "Matrix Multiplication Background User's Guide",
    // section "Tile quantization": 256x128 is the most efficient, smaller tiles serve narrow shapes).
    private static readonly (int, int)[] TensorCoreTiles = [(256, 128), (128, 256), (128, 128)];

    // Kernel figures, A100 SXM4:
    // - 108 SMs: NVIDIA A100 Tensor Core GPU Architecture white paper (2020), "108 SMs" in A100.
    // - GEMM: 271.2 of 312 TFLOP/s = 86.9% (bf16 matmul, best shape, torch 2.6/CUDA 12.6), the
    //   "Maximum Achievable Matmul FLOPS" table of S. Bekman, Machine Learning Engineering Open Book,
    //   compute/accelerator/README.md.
    // - Memory-bound kernels: 90% of HBM peak, what STREAM-like copy/triad kernels sustain on
    //   A100/H100 HBM (BabelStream-style device copies reach ~1.8 of 2.0 TB/s and ~3.0 of 3.35 TB/s).
    // - Flash attention: Dao, "FlashAttention-2" (arXiv:2307.08691, 2023), A100 benchmarks at head
    //   dimension 128 and 2k tokens: forward ~195 TFLOP/s (62%), backward ~170 TFLOP/s (55%); the
    //   paper's stated range is 50-73% of peak.
    // - Kernel overhead: ~2 us of GPU idle per kernel launched back to back from an eager framework
    //   (NVIDIA developer blog "Getting Started with CUDA Graphs", 2019: microsecond-scale launch
    //   overhead per kernel, which graphs remove).
    private static readonly GpuKernelFacts A100Kernels = new()
    {
        StreamingMultiprocessors = 108, GemmTiles = TensorCoreTiles, GemmEfficiency = 271.2 / 312,
        MemoryEfficiency = 0.90, AttentionForwardEfficiency = 0.62, AttentionBackwardEfficiency = 0.55,
        KernelOverheadSeconds = 2e-6,
        Source = "A100 white paper (108 SMs); Bekman MAMF table (GEMM 86.9%); STREAM-like HBM 90%; FlashAttention-2 paper (attention 62%/55%)",
    };

    // Kernel figures, H100 SXM5:
    // - 132 SMs: NVIDIA H100 Tensor Core GPU Architecture white paper (2022), H100 SXM5 has 132 SMs.
    // - GEMM: 794.5 of 989 TFLOP/s = 80.3% (bf16, torch 2.7/CUDA 12.6), Bekman's MAMF table (above).
    // - Memory-bound kernels: 90% of 3.35 TB/s (see the A100 note).
    // - Attention as Megatron-Core/Transformer Engine run it (cuDNN fused attention): Shah et al.,
    //   "FlashAttention-3" (arXiv:2407.08608, 2024), H100 SXM5 benchmarks at head dimension 128 and
    //   2k tokens: backward cuDNN 465 TFLOP/s (47%); forward about 600 TFLOP/s (60%).
    // - Kernel overhead: as for A100.
    private static readonly GpuKernelFacts H100Kernels = new()
    {
        StreamingMultiprocessors = 132, GemmTiles = TensorCoreTiles, GemmEfficiency = 794.5 / 989,
        MemoryEfficiency = 0.90, AttentionForwardEfficiency = 0.60, AttentionBackwardEfficiency = 465.0 / 989,
        KernelOverheadSeconds = 2e-6,
        Source = "H100 white paper (132 SMs); Bekman MAMF table (GEMM 80.3%); STREAM-like HBM 90%; FlashAttention-3 paper (cuDNN attention 60%/47%)",
    };

    // NVIDIA A100 Tensor Core GPU datasheet (2021), SXM4 80GB column: FP64 9.7 TF, FP32 19.5 TF,
    // TF32 156 TF, FP16/BF16 312 TF (dense), 80 GB HBM2e at 2,039 GB/s.
    public static readonly DeviceSpec A100Sxm80 = new()
    {
        Name = "A100-SXM4-80GB",
        PeakFlops = new Dictionary<Precision, double>
        {
            [Precision.Fp64] = 9.7 * TF, [Precision.Fp32] = 19.5 * TF, [Precision.Tf32] = 156 * TF,
            [Precision.Fp16] = 312 * TF, [Precision.Bf16] = 312 * TF,
        },
        MemoryBytes = 80 * GB, MemoryBandwidth = 2039 * GB,
        Source = "NVIDIA A100 Tensor Core GPU datasheet (2021), SXM4 80GB",
        Kernels = A100Kernels, ComputeCapability = 80,
    };

    // NVIDIA H100 Tensor Core GPU datasheet (2023), H100 SXM column: FP64 34 TF, FP32 67 TF; tensor
    // figures are quoted with sparsity (TF32 989, FP16/BF16 1,979, FP8 3,958 TF), halved here for dense.
    // 80 GB HBM3 at 3.35 TB/s.
    public static readonly DeviceSpec H100Sxm = new()
    {
        Name = "H100-SXM5-80GB",
        PeakFlops = new Dictionary<Precision, double>
        {
            [Precision.Fp64] = 34 * TF, [Precision.Fp32] = 67 * TF, [Precision.Tf32] = 494.5 * TF,
            [Precision.Fp16] = 989.5 * TF, [Precision.Bf16] = 989.5 * TF, [Precision.Fp8] = 1979 * TF,
        },
        MemoryBytes = 80 * GB, MemoryBandwidth = 3350 * GB,
        Source = "NVIDIA H100 Tensor Core GPU datasheet (2023), H100 SXM",
        Kernels = H100Kernels, ComputeCapability = 90,
    };

    // NVIDIA Tesla V100 datasheet (2020), SXM2 32GB: FP64 7.8 TF, FP32 15.7 TF, tensor (FP16 in,
    // FP32 accumulate) 125 TF, 32 GB HBM2 at 900 GB/s. No bf16/tf32 (pre-Ampere).
    public static readonly DeviceSpec V100Sxm2 = new()
    {
        Name = "V100-SXM2-32GB",
        PeakFlops = new Dictionary<Precision, double>
        {
            [Precision.Fp64] = 7.8 * TF, [Precision.Fp32] = 15.7 * TF, [Precision.Fp16] = 125 * TF,
        },
        MemoryBytes = 32 * GB, MemoryBandwidth = 900 * GB, ComputeCapability = 70,
        Source = "NVIDIA Tesla V100 GPU datasheet (2020), SXM2 32GB",
    };

    // NVIDIA Tesla P100 PCIe datasheet (2016), 16GB: FP64 4.7 TF, FP32 9.3 TF, FP16 18.7 TF,
    // 16 GB CoWoS HBM2 at 732 GB/s. No tensor cores.
    public static readonly DeviceSpec P100Pcie16 = new()
    {
        Name = "P100-PCIE-16GB",
        PeakFlops = new Dictionary<Precision, double>
        {
            [Precision.Fp64] = 4.7 * TF, [Precision.Fp32] = 9.3 * TF, [Precision.Fp16] = 18.7 * TF,
        },
        MemoryBytes = 16 * GB, MemoryBandwidth = 732 * GB, ComputeCapability = 60,
        Source = "NVIDIA Tesla P100 PCIe datasheet (2016), 16GB",
    };

    // Two AMD EPYC 7742 sockets (AMD product page: 64 cores, 2.25 GHz base, 8 channels DDR4-3200).
    // Zen 2 has two 256-bit FMA pipes per core: 16 fp64 or 32 fp32 FLOP/cycle, so
    // 128 cores * 2.25e9 * 16 = 4.608 TF fp64 and 9.216 TF fp32 at base clock. Memory: 2 sockets *
    // 8 channels * 25.6 GB/s = 409.6 GB/s; 512 GiB populated (16 x 32 GiB DIMMs, a common build).
    public static readonly DeviceSpec Epyc7742Dual = new()
    {
        Name = "2x-EPYC-7742",
        IsGpu = false,
        PeakFlops = new Dictionary<Precision, double>
        {
            [Precision.Fp64] = 128 * 2.25e9 * 16, [Precision.Fp32] = 128 * 2.25e9 * 32,
        },
        MemoryBytes = 512 * GiB, MemoryBandwidth = 2 * 8 * 25.6 * GB,
        Source = "AMD EPYC 7742 product page (64 cores, 2.25 GHz, 8x DDR4-3200); Zen 2 2x256-bit FMA",
    };

    // Latencies. NVIDIA ConnectX-6/7 adapter product briefs quote sub-600 ns adapter latency; NCCL's
    // own tuning model (src/graph/tuning.cc, hwLat) uses 0.6 us for an NVLink hop and 1.0 us for a PCIe
    // hop (LL protocol). Kernel TCP over Ethernet costs several microseconds per direction (netperf
    // TCP_RR round trips of ~10 us on 25 GbE), taken here as 5 us per NIC hop.
    private const double NvLinkHopLatency = 0.6e-6, PcieHopLatency = 1.0e-6, InfiniBandNicLatency = 0.6e-6,
        TcpNicLatency = 5e-6;

    // NVIDIA DGX A100 datasheet: 8x A100 80GB, 6x NVSwitch (600 GB/s bidirectional GPU-to-GPU, so
    // 300 GB/s per direction per GPU), 8x single-port ConnectX-6 200 Gb/s HDR InfiniBand for compute.
    public static readonly NodeSpec DgxA100 = new()
    {
        Name = "dgx-a100", Device = A100Sxm80, DevicesPerNode = 8,
        IntraNode = IntraNodeFabric.NvSwitch, IntraNodeBandwidth = 300 * GB, IntraNodeLatency = NvLinkHopLatency,
        NicCount = 8, NicBandwidth = 200e9 / 8, NicLatency = InfiniBandNicLatency,
        Source = "NVIDIA DGX A100 datasheet (80GB version)",
        // 12 third-generation NVLinks per A100 (A100 white paper); 2x AMD EPYC 7742 (DGX A100 datasheet).
        NvLinksPerGpu = 12, HostCpuVendor = "amd",
    };

    // NVIDIA DGX H100 datasheet: 8x H100 SXM, 4x third-generation NVSwitch (900 GB/s bidirectional per
    // GPU, 450 GB/s per direction), 8x ConnectX-7 at 400 Gb/s NDR InfiniBand.
    public static readonly NodeSpec DgxH100 = new()
    {
        Name = "dgx-h100", Device = H100Sxm, DevicesPerNode = 8,
        IntraNode = IntraNodeFabric.NvSwitch, IntraNodeBandwidth = 450 * GB, IntraNodeLatency = NvLinkHopLatency,
        NicCount = 8, NicBandwidth = 400e9 / 8, NicLatency = InfiniBandNicLatency,
        Source = "NVIDIA DGX H100 datasheet",
        // 18 fourth-generation NVLinks per H100 (H100 white paper); 2x Intel Xeon Platinum 8480C (DGX H100 datasheet).
        NvLinksPerGpu = 18, HostCpuVendor = "intel",
    };

    // NVIDIA DGX-1 with Tesla V100 datasheet and "DGX-1 with Tesla V100 System Architecture" white
    // paper (2017): 8x V100 SXM2 in an NVLink hybrid cube mesh, six NVLink 2.0 links of 25 GB/s per
    // direction per GPU, 4x 100 Gb/s EDR InfiniBand (one per GPU pair).
    public static readonly NodeSpec Dgx1V100 = new()
    {
        Name = "dgx1-v100", Device = V100Sxm2, DevicesPerNode = 8,
        IntraNode = IntraNodeFabric.NvLinkHybridCubeMesh, IntraNodeBandwidth = 25 * GB, IntraNodeLatency = NvLinkHopLatency,
        NicCount = 4, NicBandwidth = 100e9 / 8, NicLatency = InfiniBandNicLatency,
        Source = "NVIDIA DGX-1 with Tesla V100 datasheet; DGX-1 V100 System Architecture white paper (2017)",
        // Six NVLink 2.0 links per V100; 2x Intel Xeon E5-2698 v4 (DGX-1 datasheet).
        NvLinksPerGpu = 6, HostCpuVendor = "intel",
    };

    // A commodity 8-GPU PCIe server: 8x P100 PCIe behind PCIe Gen3 x16 switches (8 GT/s * 16 lanes *
    // 128/130 encoding = 15.75 GB/s per direction, PCI-SIG PCIe 3.0 base spec) and one 25 Gb/s Ethernet
    // NIC running TCP (the setting of many parameter-server papers).
    public static readonly NodeSpec P100PcieServer = new()
    {
        Name = "p100-pcie-8x", Device = P100Pcie16, DevicesPerNode = 8,
        IntraNode = IntraNodeFabric.PcieSwitch, IntraNodeBandwidth = 8e9 * 16 * 128 / 130 / 8, IntraNodeLatency = PcieHopLatency,
        NicCount = 1, NicBandwidth = 25e9 / 8, NicLatency = TcpNicLatency,
        Source = "NVIDIA Tesla P100 PCIe datasheet; PCIe 3.0 x16; 25 GbE",
    };

    // A CPU-only host (2x EPYC 7742) with one 100 GbE NIC running TCP: a parameter server or CPU worker.
    public static readonly NodeSpec CpuHost = new()
    {
        Name = "cpu-host", Device = Epyc7742Dual, DevicesPerNode = 1,
        IntraNode = IntraNodeFabric.None,
        NicCount = 1, NicBandwidth = 100e9 / 8, NicLatency = TcpNicLatency,
        Source = "AMD EPYC 7742 product page; 100 GbE",
    };

    private static readonly NodeSpec[] All = [DgxA100, DgxH100, Dgx1V100, P100PcieServer, CpuHost];

    /// <summary>Preset names, in catalogue order.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(n => n.Name).ToArray();

    /// <summary>The node preset called <paramref name="name"/> (case-insensitive); an error lists the valid names.</summary>
    public static NodeSpec Node(string name, string path = "cluster.preset")
    {
        foreach (var n in All)
            if (string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase)) return n;
        throw new SpecError(path, $"unknown preset '{name}'; valid presets: {string.Join(", ", Names)}");
    }

    /// <summary>
    /// A cluster of <paramref name="nodes"/> preset servers with that machine's usual fabric: rail
    /// optimised for DGX A100/H100 (NVIDIA's SuperPOD reference architecture), a single switch otherwise.
    /// </summary>
    public static ClusterSpec Cluster(string name, int nodes, FabricSpec? fabric = null)
    {
        return ClusterOf(Node(name), nodes, fabric);
    }

    /// <summary>A cluster of <paramref name="nodes"/> copies of <paramref name="node"/> (a preset or a
    /// hardware file), with the same default fabric rule as <see cref="Cluster"/>.</summary>
    public static ClusterSpec ClusterOf(NodeSpec node, int nodes, FabricSpec? fabric = null)
    {
        fabric ??= node.IntraNode == IntraNodeFabric.NvSwitch
            ? new FabricSpec { Kind = FabricKind.RailOptimized }
            : new FabricSpec { Kind = FabricKind.SingleSwitch };
        var spec = new ClusterSpec { Name = $"{nodes}x {node.Name}", Node = node, NodeCount = nodes, Fabric = fabric };
        spec.Validate();
        return spec;
    }
}
