namespace Sim.Scenarios.Validation;

/// <summary>
/// The published nccl-tests all-reduce sweeps Sim's NCCL model is checked against, 1 KiB to 8 GiB where
/// published (facts copied as numbers: size and out-of-place time per row). Each names its source, its
/// hardware and, where published, its NCCL version. None of the model's figures was taken from a curve.
/// The single-node A100 sweep (<see cref="A100OneNode"/>) was run with one process driving all 8 GPUs.
/// </summary>
public static class NcclTestsCurves
{
    /// <summary>Network latency aws-ofi-nccl reports to NCCL on p4d, p4de and p5, us (src/platform-aws.cpp,
    /// platform_data_map; v1.7 on; earlier versions reported 150 us on every instance type).</summary>
    public const double AwsOfiNcclP4P5Latency = 75;

    /// <summary>Network latency aws-ofi-nccl reported to NCCL on every instance type before v1.7, us
    /// (v1.5.0-aws src/nccl_ofi_net.c: props->latency = 150; 75 on p4d/p4de/p5 came with commit d87d61e, first
    /// released in v1.7.0-aws).</summary>
    public const double AwsOfiNcclBefore17Latency = 150;

    /// <summary>
    /// Two AWS p4de.24xlarge instances (16 A100 80GB SXM on NVSwitch, 4 x 100 Gb/s EFA = 50 GB/s per
    /// instance), NCCL 2.17.1, aws-ofi-nccl 1.5.0aws, nccl-tests 2.13.6: all_reduce_perf -b 8 -e 9G -f 2
    /// -g 1 over Slurm, one rank per GPU, NCCL_PROTO=simple; published up to 1 GiB. Checked against only: no figure of the
    /// model was taken from it.
    /// </summary>
    public static NcclTestsCurve AwsP4deTwoNodes { get; } = new(
        Name: "nccl-tests-allreduce-2x-p4de",
        System: "2 x AWS p4de.24xlarge (16 A100 80GB SXM, NVSwitch; 4 x 100 Gb/s EFA per instance), NCCL 2.17.1, aws-ofi-nccl 1.5.0aws",
        Source: "aws-samples/aws-hpc-tutorials pull request #408 (commit 61bd885, 2023-04-17), content/08-EFA/05-compile-run-nccl-tests.md: all_reduce_perf output on 2 x p4de (github.com/aws-samples/aws-hpc-tutorials)",
        // p4de hosts are Intel Xeon Platinum 8275CL (AWS P4 instance page); the DGX A100 preset's are AMD.
        // The run exported NCCL_PROTO=simple (the page's nccl_test.sbatch): LL and LL128 were off.
        Preset: "dgx-a100", Nodes: 2, NetworkGBpsPerNode: 4 * 100 / 8.0, NetLatencyMicroseconds: AwsOfiNcclBefore17Latency, AmdHost: false, SimpleOnly: true, NcclMinorVersion: 17,
        Points:
        [
            (1L << 10, 161.3), (2L << 10, 176.5), (4L << 10, 165.7), (8L << 10, 172.1), (16L << 10, 189.9),
            (32L << 10, 220.4), (64L << 10, 224.0), (128L << 10, 227.3), (256L << 10, 234.2), (512L << 10, 257.4),
            (1L << 20, 307.4), (2L << 20, 388.3), (4L << 20, 522.7), (8L << 20, 761.2), (16L << 20, 1200.2),
            (32L << 20, 1565.5), (64L << 20, 2724.5), (128L << 20, 4071.8), (256L << 20, 7390.4), (512L << 20, 13605),
            (1L << 30, 25940),
        ]);

    /// <summary>
    /// Two AWS p5.48xlarge instances (16 H100 SXM on NVSwitch, 32 x 100 Gb/s EFA v2 = 3,200 Gb/s per
    /// instance, the same 400 GB/s per node as the DGX H100 preset), all_reduce_perf -b 8 -e 16G -f 2 -g 1 over Slurm.
    /// The same output is in aws-samples/awsome-distributed-training micro-benchmarks/nccl-tests/README.md, whose
    /// container at the commit that published it (88c2e71b, 2024-04) built NCCL 2.20.3 and aws-ofi-nccl 1.8.1.
    /// </summary>
    public static NcclTestsCurve AwsP5TwoNodes { get; } = new(
        Name: "nccl-tests-allreduce-2x-p5",
        System: "2 x AWS p5.48xlarge (16 H100 80GB SXM, NVSwitch; 32 x 100 Gb/s EFA v2 per instance), aws-ofi-nccl",
        Source: "aws-samples/aws-hpc-tutorials, ML workshop, \"Run NCCL tests\" page: nccl-all_reduce_perf output for 2 x p5.48xlarge, 8 B to 16 GB (github.com/aws-samples/aws-hpc-tutorials)",
        // p5 hosts are AMD EPYC 7R13 (AWS P5 instance page); the DGX H100 preset's are Intel.
        // The repository's Slurm script at that commit (slurm/nccl-tests.sbatch) exports NCCL_BUFFSIZE=8388608.
        Preset: "dgx-h100", Nodes: 2, NetworkGBpsPerNode: null, NetLatencyMicroseconds: AwsOfiNcclP4P5Latency, AmdHost: true, NcclMinorVersion: 20,
        SimpleBufferBytes: 8L << 20,
        Points:
        [
            (1L << 10, 69.24), (2L << 10, 72.22), (4L << 10, 78.58), (8L << 10, 81.44), (16L << 10, 94.36),
            (32L << 10, 111.7), (64L << 10, 135.1), (128L << 10, 108.9), (256L << 10, 128.0), (512L << 10, 123.7),
            (1L << 20, 123.2), (2L << 20, 147.2), (4L << 20, 168.6), (8L << 20, 204.8), (16L << 20, 298.1),
            (32L << 20, 439.7), (64L << 20, 601.5), (128L << 20, 870.3), (256L << 20, 1468.2), (512L << 20, 2559.2),
            (1L << 30, 4607.6), (2L << 30, 9074.5), (4L << 30, 17286), (8L << 30, 33605),
        ]);

    /// <summary>
    /// Two AWS p5.48xlarge on Amazon EKS (MPIJob), NCCL 2.18.5, aws-ofi-nccl v1.7.3-aws, EFA installer 1.28.0:
    /// the excerpt AWS published, 64 MiB to 2 GiB. The same instance type as <see cref="AwsP5TwoNodes"/>,
    /// measured ~1.6-2x slower from 64 MiB to 1 GiB: a second run shows how far two published runs of one
    /// machine differ. Checked against only.
    /// </summary>
    public static NcclTestsCurve AwsP5TwoNodesNccl218 { get; } = new(
        Name: "nccl-tests-allreduce-2x-p5-nccl2.18",
        System: "2 x AWS p5.48xlarge on Amazon EKS (16 H100 80GB SXM, NVSwitch; 32 x 100 Gb/s EFA v2 per instance), NCCL 2.18.5, aws-ofi-nccl v1.7.3-aws",
        Source: "aws-samples/awsome-distributed-training, micro-benchmarks/nccl-tests/README.md, Amazon EKS section: excerpt of all_reduce_perf logs on two p5.48xlarge (github.com/aws-samples/awsome-distributed-training)",
        Preset: "dgx-h100", Nodes: 2, NetworkGBpsPerNode: null, NetLatencyMicroseconds: AwsOfiNcclP4P5Latency, AmdHost: true, NcclMinorVersion: 18,
        Points:
        [
            (64L << 20, 996.0), (128L << 20, 1950.5), (256L << 20, 3010.8), (512L << 20, 3608.0), (1L << 30, 6426.3), (2L << 30, 9197.5),
        ]);

    /// <summary>
    /// Two Google Cloud A3 Mega VMs (16 H100 SXM on NVSwitch; eight 200 Gb/s GPU NICs with
    /// GPUDirect-TCPXO per VM, 200 GB/s per node), all_reduce_perf -b 8 -e 8G -f 2 -g 1, one rank per GPU.
    /// The run sourced the TCPXO plugin's nccl-env-profile.sh and its NCCL, 2.21.5 (the repository's
    /// README lists /var/lib/tcpxo/lib64/libnccl.so.2.21.5). The profile's text is not in the source;
    /// Google's own A3 Mega nccl-tests recipe passes the TCPXO settings explicitly (AI-Hypercomputer/
    /// gpu-recipes, src/helm-charts/a3mega/nccl-tests/run_test.sh, commit d9e8da3): NCCL_PROTO=Simple,
    /// NCCL_ALGO=Ring,Tree, NCCL_NVLS_ENABLE=0 (also NCCL_MIN_NCHANNELS=4, NCCL_BUFFSIZE=8 MiB and Google's
    /// tuner plugin, whose configuration is not published: not modelled). Modelled with those three.
    /// </summary>
    public static NcclTestsCurve GcpA3MegaTwoNodes { get; } = new(
        Name: "nccl-tests-allreduce-2x-a3-mega",
        System: "2 x Google Cloud a3-megagpu-8g (16 H100 80GB SXM, NVSwitch; 8 x 200 Gb/s GPUDirect-TCPXO NICs per VM), NCCL 2.21.5, NCCL_PROTO=Simple, NVLS off",
        Source: "github.com/lessizzmore/create-a3mega-ztan-fork, file ztan-NCCL-test-result (all_reduce_perf, 16 ranks on 2 A3 Mega VMs)",
        Preset: "dgx-h100", Nodes: 2, NetworkGBpsPerNode: 8 * 200 / 8.0, SimpleOnly: true, NvlsDisabled: true, NcclMinorVersion: 21,
        Points:
        [
            (1L << 10, 147.1), (2L << 10, 125.8), (4L << 10, 126.9), (8L << 10, 131.6), (16L << 10, 138.6),
            (32L << 10, 155.2), (64L << 10, 159.4), (128L << 10, 159.3), (256L << 10, 167.1), (512L << 10, 174.2),
            (1L << 20, 203.2), (2L << 20, 254.0), (4L << 20, 364.6), (8L << 20, 571.9), (16L << 20, 977.6),
            (32L << 20, 1059.9), (64L << 20, 1261.6), (128L << 20, 1652.2), (256L << 20, 2360.9), (512L << 20, 3817.5),
            (1L << 30, 6759.0), (2L << 30, 12646), (4L << 30, 24361), (8L << 30, 47535),
        ]);

    /// <summary>
    /// One DGX H100 (8 H100 SXM on third-generation NVSwitch, NVLink SHARP), all_reduce_perf -b 8 -e 16G
    /// -f 2 -g 1 with 8 ranks: NVIDIA's sample output for its DGX Cloud NCCL benchmarking recipe. The output
    /// does not print NCCL's version; the recipe runs in nvcr.io/nvidia/nemo:25.09.00 (nccl/metadata.yaml at
    /// the release that published the sample, v25.10, commit 8e77d60, 2025-12), whose NCCL is later than 2.21
    /// (May 2024): modelled with the 2.21-on tables (21).
    /// </summary>
    public static NcclTestsCurve DgxH100OneNode { get; } = new(
        Name: "nccl-tests-allreduce-1x-dgx-h100",
        System: "1 x DGX H100 (8 H100 80GB SXM, NVSwitch with NVLink SHARP; Quantum-2 InfiniBand and ConnectX-7 unused inside a node)",
        Source: "NVIDIA/dgxc-benchmarking (DGX Cloud Benchmarking performance recipes), nccl/README.md: sample AllReduce output on 8 H100 (github.com/NVIDIA/dgxc-benchmarking)",
        Preset: "dgx-h100", Nodes: 1, NetworkGBpsPerNode: null, NcclMinorVersion: 21,
        Points:
        [
            (1L << 10, 16.94), (2L << 10, 17.14), (4L << 10, 23.59), (8L << 10, 17.40), (16L << 10, 17.93),
            (32L << 10, 19.33), (64L << 10, 19.54), (128L << 10, 19.89), (256L << 10, 20.43), (512L << 10, 20.66),
            (1L << 20, 27.37), (2L << 20, 42.21), (4L << 20, 54.19), (8L << 20, 83.04), (16L << 20, 123.8),
            (32L << 20, 199.3), (64L << 20, 324.7), (128L << 20, 586.4), (256L << 20, 1112.5), (512L << 20, 2151.0),
            (1L << 30, 4029.4), (2L << 30, 7939.1), (4L << 30, 15749), (8L << 30, 31307),
        ]);

    /// <summary>
    /// One AWS p5.48xlarge (8 H100 SXM on NVSwitch; the bus factor 2 x 7/8 of its rows shows 8 ranks),
    /// all_reduce_perf through AWS Batch with AWS's nccl-tests container, which at the commit that published
    /// the log (0fbac547, 2024-10-30, micro-benchmarks/nccl-tests/nccl-tests.Dockerfile) built NCCL 2.23.4.
    /// </summary>
    public static NcclTestsCurve AwsP5OneNode { get; } = new(
        Name: "nccl-tests-allreduce-1x-p5",
        System: "1 x AWS p5.48xlarge (8 H100 80GB SXM, NVSwitch with NVLink SHARP)",
        Source: "aws-samples/awsome-distributed-training, micro-benchmarks/nccl-tests/aws-batch/README.md: log stream of the NCCLTest job (github.com/aws-samples/awsome-distributed-training)",
        Preset: "dgx-h100", Nodes: 1, NetworkGBpsPerNode: null, NcclMinorVersion: 23,
        Points:
        [
            (1L << 10, 16.43), (2L << 10, 16.62), (4L << 10, 16.76), (8L << 10, 16.85), (16L << 10, 17.46),
            (32L << 10, 18.78), (64L << 10, 19.09), (128L << 10, 19.37), (256L << 10, 20.27), (512L << 10, 21.17),
            (1L << 20, 28.56), (2L << 20, 43.45), (4L << 20, 55.44), (8L << 20, 84.29), (16L << 20, 124.0),
            (32L << 20, 198.6), (64L << 20, 326.6), (128L << 20, 592.8), (256L << 20, 1121.4), (512L << 20, 2165.3),
            (1L << 30, 4253.0), (2L << 30, 8463.7), (4L << 30, 15791), (8L << 30, 31289),
        ]);

    /// <summary>
    /// One 8-GPU A100 node (NVSwitch: its 235 GB/s plateau is beyond any PCIe system), all_reduce_perf -b 32k
    /// -e 16G -f 2 -g 8 -n 50: one process drives all 8 GPUs, launching each size's 8 kernels from one
    /// thread. Published 2023-12-15 (commit 48b75dd) with the size column reformatted and the in-place
    /// columns removed by the author; NCCL's version is not stated (2.20 tables). Starts at 32 KiB.
    /// </summary>
    public static NcclTestsCurve A100OneNode { get; } = new(
        Name: "nccl-tests-allreduce-1x-a100",
        System: "1 x 8 A100 SXM (NVSwitch), one process with 8 GPUs (-g 8), NCCL not stated",
        Source: "stas00/ml-engineering, network/README.md, \"Important nuances / Real network throughput\": all_reduce_perf -b 32k -e 16G -f 2 -g 8 -n 50 on a single A100 node (github.com/stas00/ml-engineering)",
        Preset: "dgx-a100", Nodes: 1, NetworkGBpsPerNode: null,
        Points:
        [
            (32L << 10, 43.83), (64L << 10, 46.80), (128L << 10, 51.76), (256L << 10, 61.38), (512L << 10, 80.40),
            (1L << 20, 101.9), (2L << 20, 101.4), (4L << 20, 101.5), (8L << 20, 133.5), (16L << 20, 276.6),
            (32L << 20, 424.0), (64L << 20, 684.6), (128L << 20, 1327.6), (256L << 20, 2420.6), (512L << 20, 4218.4),
            (1L << 30, 8203.9), (2L << 30, 16240), (4L << 30, 32136), (8L << 30, 64074),
        ]);

    /// <summary>The publication both XE9680-class InfiniBand curves come from (one source in the published suite).</summary>
    public const string NcclTests309 = "nccl-tests #309";

    /// <summary>
    /// Two Dell PowerEdge XE9680 (8 H100 SXM on NVSwitch each; eight ConnectX-7 400 Gb/s InfiniBand NICs,
    /// one per GPU, 400 GB/s per node; Intel Xeon hosts, the XE9680's only CPU family), bare metal, NCCL 2.26.2,
    /// CUDA 12.8, all_reduce_perf_mpi -b 8 -e 16g -f 2 -g 1, one rank per GPU; NCCL's own InfiniBand transport
    /// (no plugin). An NCCL maintainer answered "Your numbers look good to me!" (kiskra-nvidia, 2025-05-21)
    /// and, for two nodes, that they are "an ideal case for the TREE protocol". Checked against only.
    /// </summary>
    public static NcclTestsCurve HgxH100InfiniBandTwoNodes { get; } = new(
        Name: "nccl-tests-allreduce-2x-hgx-h100-ib",
        System: "2 x Dell XE9680 (16 H100 80GB SXM, NVSwitch; 8 x ConnectX-7 400 Gb/s InfiniBand per node), bare metal, NCCL 2.26.2",
        Source: "NVIDIA/nccl-tests issue #309 (2025-05), opening post: all_reduce_perf_mpi output on 2 x XE9680, 8 B to 16 GiB (github.com/NVIDIA/nccl-tests)",
        Preset: "dgx-h100", Nodes: 2, NetworkGBpsPerNode: null, NcclMinorVersion: 26, PublicationKey: NcclTests309,
        Points:
        [
            (1L << 10, 29.75), (2L << 10, 28.19), (4L << 10, 30.24), (8L << 10, 32.12), (16L << 10, 32.74),
            (32L << 10, 34.10), (64L << 10, 33.84), (128L << 10, 38.77), (256L << 10, 48.67), (512L << 10, 77.69),
            (1L << 20, 71.93), (2L << 20, 76.24), (4L << 20, 94.38), (8L << 20, 132.6), (16L << 20, 185.4),
            (32L << 20, 267.9), (64L << 20, 466.1), (128L << 20, 748.3), (256L << 20, 1282.8), (512L << 20, 2357.6),
            (1L << 30, 4484.9), (2L << 30, 8729.8), (4L << 30, 17262), (8L << 30, 34381),
        ]);

    /// <summary>
    /// Four XE9680-class H100 nodes (the same issue's author) run as VMware virtual machines with the GPUs and
    /// NICs passed through and a hand-made NCCL topology file (NCCL_TOPO_FILE), NCCL 2.26.2, eight 400 Gb/s
    /// InfiniBand NICs per node: all_reduce_perf_mpi -b 8 -e 16g -f 2 -g 1. The maintainer called its
    /// 365.84 GB/s peak "a good number" (kiskra-nvidia, 2025-06-18). Checked against only.
    /// </summary>
    public static NcclTestsCurve HgxH100InfiniBandFourNodesVm { get; } = new(
        Name: "nccl-tests-allreduce-4x-hgx-h100-ib-vm",
        System: "4 x H100 SXM 8-GPU VMs (VMware, GPUs and 8 x 400 Gb/s InfiniBand NICs passed through, NCCL_TOPO_FILE), NCCL 2.26.2",
        Source: "NVIDIA/nccl-tests issue #309 (2025-05-23 comment by the author): all_reduce_perf_mpi output on 4 nodes, 8 B to 16 GiB (github.com/NVIDIA/nccl-tests)",
        Preset: "dgx-h100", Nodes: 4, NetworkGBpsPerNode: null, NcclMinorVersion: 26, PublicationKey: NcclTests309,
        Points:
        [
            (1L << 10, 39.79), (2L << 10, 39.59), (4L << 10, 42.18), (8L << 10, 46.84), (16L << 10, 48.51),
            (32L << 10, 49.13), (64L << 10, 50.83), (128L << 10, 55.87), (256L << 10, 67.82), (512L << 10, 72.88),
            (1L << 20, 82.17), (2L << 20, 191.3), (4L << 20, 151.1), (8L << 20, 217.3), (16L << 20, 259.6),
            (32L << 20, 376.0), (64L << 20, 579.1), (128L << 20, 990.7), (256L << 20, 1768.0), (512L << 20, 3109.0),
            (1L << 30, 5808.8), (2L << 30, 11508), (4L << 30, 22890), (8L << 30, 45606),
        ]);

    /// <summary>Every curve, in a fixed order.</summary>
    public static IReadOnlyList<NcclTestsCurve> All { get; } = [DgxH100OneNode, AwsP5OneNode, AwsP5TwoNodes, GcpA3MegaTwoNodes, AwsP4deTwoNodes, AwsP5TwoNodesNccl218, A100OneNode, HgxH100InfiniBandTwoNodes, HgxH100InfiniBandFourNodesVm];
}
