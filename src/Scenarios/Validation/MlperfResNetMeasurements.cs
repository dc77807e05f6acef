namespace Sim.Scenarios.Validation;

/// <summary>
/// A convolutional network trained data parallel across nodes: NVIDIA's MLPerf Training v1.0 ResNet-50
/// submissions (MXNet 21.05, closed division) on one and on eight DGX A100 (A100-SXM4-80GB, 8 x HDR 200 Gb/s
/// InfiniBand per node), measured images per second as each run's log prints it per epoch. The two logs ran the
/// same software; only the node count and the per-GPU batch differ. The scenarios state what the logs' command
/// lines state (per-GPU batch, FP16, NHWC layouts, batch norm fused with ReLU and with the residual add and ReLU,
/// Horovod all-reduce); everything else is the simulator's defaults. Nothing here was tuned to these rows.
/// </summary>
public static class MlperfResNetMeasurements
{
    private const string Repository = "mlcommons/training_results_v1.0 (commit 8200377)";
    private const string SourceKey = "MLPerf Training v1.0 ResNet-50 (NVIDIA, MXNet)";

    private const string Caveats =
        "Measured: the \"throughput\" the log prints for its last epoch (images of the epoch over its time, all GPUs, DALI input pipeline included; " +
        "the epochs of a run agree within about 1%). train_imagenet.py runs --dtype float16 with --input-layout/--conv-layout/--batchnorm-layout NHWC " +
        "and --fuse-bn-relu 1 --fuse-bn-add-relu 1 (batch norm's kernels apply the ReLU, and the residual add and ReLU, in the same pass), simulated as " +
        "compute.compile (the memory-bound layers between two convolutions fused as one run, CnnCompilerFusion); --kv-store horovod all-reduces the " +
        "FP16 gradients of the FP16 network (the optimizer keeps FP32 master weights), simulated as the data_parallel mode's bucketed NCCL ring. " +
        "Not simulated: the LARS optimizer's per-layer norms, the 4-channel padded input (--image-shape 4,224,224; the simulator pads the image's " +
        "3 channels to 8 for FP16 tensor cores), the evaluation every 4 epochs (outside the measured epochs) and DALI's decoding on the GPUs.";

    private static PublishedMeasurement ResNet50(int nodes, int batchPerGpu, string log, double imagesPerSecond) => new(
        Name: $"mlperf1.0-mxnet-resnet50-{nodes * 8}-gpus",
        System: $"ResNet-50 v1.5 (MXNet, MLPerf Training v1.0) on {nodes} DGX A100 ({nodes * 8} A100 80GB, dgx-a100), {batchPerGpu} images per GPU, FP16, fused batch norm",
        Source: $"{Repository}, NVIDIA/results/{log} output: the last epoch's MLLOG \"throughput\" (images per second); batch from the log's train_imagenet.py command line; " +
                "system NVIDIA/systems/dgxa100_ngc21.05_mxnet.json (A100-SXM4-80GB 400 W, 8x ConnectX-6 IB HDR 200Gb/s; the 8-node log's submission_platform is \"8xNVIDIA DGX A100\")",
        Metric: "samples_per_s",
        Measured: imagesPerSecond,
        Unit: "img/s",
        ScenarioYaml: $$"""
            name: mlperf-resnet50-{{nodes}}-nodes
            cluster: {preset: dgx-a100, nodes: {{nodes}}}
            network: {backend: flow, collective: ring}
            model: {zoo: resnet50, memory_format: nhwc}
            compute: {precision: fp16, compile: true}
            training: {mode: data_parallel, micro_batch: {{batchPerGpu}}, iterations: 3, gradient_bytes: 2}
            outputs: {timeline: false, report: false}
            """,
        Caveats: Caveats,
        SourceKey: SourceKey);

    public static IReadOnlyList<PublishedMeasurement> All { get; } =
    [
        // Epoch 35 of 35 (run_stop after it): 26,698.8 img/s at batch 408 per GPU.
        ResNet50(1, 408, "dgxa100_ngc21.05_mxnet/resnet/result_0.txt", 26698.847987314937),
        // Epoch 45 of 45 of trial 2: 198,447.0 img/s at batch 204 per GPU on 64 GPUs.
        ResNet50(8, 204, "dgxa100_n8_ngc21.05_mxnet/resnet/result_1.txt", 198446.96500808932),
    ];
}
