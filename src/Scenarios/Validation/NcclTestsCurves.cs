namespace Sim.Scenarios.Validation;

/// <summary>
/// The published nccl-tests all-reduce sweeps Sim's NCCL model is checked against, 1 KiB to 8 GiB
/// (facts copied as numbers: size and out-of-place time per row). Each names its source and hardware.
/// Full single-node sweeps of DGX A100 and DGX H100 were not found in a citable form; their plateaus
/// are in the published suite (<see cref="PublishedMeasurements"/>, NCCL GTC S62129 and nccl-tests #149).
/// </summary>
public static class NcclTestsCurves
{
    /// <summary>
    /// Two AWS p5.48xlarge instances (16 H100 SXM on NVSwitch, 32 x 100 Gb/s EFA v2 = 3,200 Gb/s per
    /// instance, the same 400 GB/s per node as the DGX H100 preset), all_reduce_perf -b 8 -e 16G -f 2 -g 1 over Slurm.
    /// </summary>
    public static NcclTestsCurve AwsP5TwoNodes { get; } = new(
        Name: "nccl-tests-allreduce-2x-p5",
        System: "2 x AWS p5.48xlarge (16 H100 80GB SXM, NVSwitch; 32 x 100 Gb/s EFA v2 per instance), aws-ofi-nccl",
        Source: "aws-samples/aws-hpc-tutorials, ML workshop, \"Run NCCL tests\" page: nccl-all_reduce_perf output for 2 x p5.48xlarge, 8 B to 16 GB (github.com/aws-samples/aws-hpc-tutorials)",
        Preset: "dgx-h100", Nodes: 2, NetworkGBpsPerNode: null,
        Points:
        [
            (1L << 10, 69.24), (2L << 10, 72.22), (4L << 10, 78.58), (8L << 10, 81.44), (16L << 10, 94.36),
            (32L << 10, 111.7), (64L << 10, 135.1), (128L << 10, 108.9), (256L << 10, 128.0), (512L << 10, 123.7),
            (1L << 20, 123.2), (2L << 20, 147.2), (4L << 20, 168.6), (8L << 20, 204.8), (16L << 20, 298.1),
            (32L << 20, 439.7), (64L << 20, 601.5), (128L << 20, 870.3), (256L << 20, 1468.2), (512L << 20, 2559.2),
            (1L << 30, 4607.6), (2L << 30, 9074.5), (4L << 30, 17286), (8L << 30, 33605),
        ]);

    /// <summary>
    /// Two Google Cloud A3 Mega VMs (16 H100 SXM on NVSwitch; eight 200 Gb/s GPU NICs with
    /// GPUDirect-TCPXO per VM, 200 GB/s per node), all_reduce_perf -b 8 -e 8G -f 2 -g 1, one rank per GPU.
    /// </summary>
    public static NcclTestsCurve GcpA3MegaTwoNodes { get; } = new(
        Name: "nccl-tests-allreduce-2x-a3-mega",
        System: "2 x Google Cloud a3-megagpu-8g (16 H100 80GB SXM, NVSwitch; 8 x 200 Gb/s GPUDirect-TCPXO NICs per VM)",
        Source: "github.com/lessizzmore/create-a3mega-ztan-fork, file ztan-NCCL-test-result (all_reduce_perf, 16 ranks on 2 A3 Mega VMs)",
        Preset: "dgx-h100", Nodes: 2, NetworkGBpsPerNode: 8 * 200 / 8.0,
        Points:
        [
            (1L << 10, 147.1), (2L << 10, 125.8), (4L << 10, 126.9), (8L << 10, 131.6), (16L << 10, 138.6),
            (32L << 10, 155.2), (64L << 10, 159.4), (128L << 10, 159.3), (256L << 10, 167.1), (512L << 10, 174.2),
            (1L << 20, 203.2), (2L << 20, 254.0), (4L << 20, 364.6), (8L << 20, 571.9), (16L << 20, 977.6),
            (32L << 20, 1059.9), (64L << 20, 1261.6), (128L << 20, 1652.2), (256L << 20, 2360.9), (512L << 20, 3817.5),
            (1L << 30, 6759.0), (2L << 30, 12646), (4L << 30, 24361), (8L << 30, 47535),
        ]);

    /// <summary>Every curve, in a fixed order.</summary>
    public static IReadOnlyList<NcclTestsCurve> All { get; } = [AwsP5TwoNodes, GcpA3MegaTwoNodes];
}
