namespace Sim.Scenarios.Validation;

/// <summary>
/// Convolutional networks trained data parallel on one DGX A100: NVIDIA's DeepLearningExamples
/// ResNet-50 v1.5 training-throughput tables (images per second, 1 and 8 GPUs, mixed precision and
/// TF32). The scenarios state only what the tables and their configuration files state (model,
/// per-GPU batch, precision, GPU count, the feature maps' memory format); compute, gradient all-reduce and
/// its overlap with backward are the simulator's defaults for the machine. Nothing here was tuned to these rows.
/// </summary>
public static class CnnDataParallelMeasurements
{
    private const string PyTorchSource = "NVIDIA/DeepLearningExamples, PyTorch/Classification/ConvNets/resnet50v1.5/README.md, \"Training performance: NVIDIA DGX A100 (8x A100 80GB)\" table (pytorch-21.03 NGC container); batch 256 per GPU for DGXA100 from PyTorch/Classification/ConvNets/configs.yml, which sets memory_format: nhwc for AMP only (TF32 runs main.py's default, nchw)";
    private const string TensorFlowSource = "NVIDIA/DeepLearningExamples, TensorFlow/Classification/ConvNets/resnet50v1.5/README.md, \"Training performance: NVIDIA DGX A100 (8x A100 40GB)\" table (TensorFlow 20.06-tf1-py3 NGC container, XLA, batch 256 per GPU, averaged over an epoch)";

    /// <summary>One table cell: ResNet-50 v1.5 at 256 images per GPU on <paramref name="gpus"/> GPUs of one node.</summary>
    /// <param name="channelsFirst">The run's convolutions saw NCHW maps. PyTorch: configs.yml sets <c>memory_format: nhwc</c> for DGXA100
    /// AMP only, so TF32 runs on main.py's default, nchw. TensorFlow: --data_format defaults to NHWC (utils/cmdline_helper.py), but its
    /// convolutions compute in NHWC only for FP16 data (tensorflow/core/kernels/conv_ops.cc, compute_in_nhwc: "In all other
    /// configurations it's more efficient to run computation in NCHW"), and XLA, on in these runs, lays out every non-FP16 convolution
    /// NCHW (tensorflow/compiler/xla/service/gpu/gpu_layout_assignment.cc, HeuristicLayoutAssignment: "If we're not Volta or not fp16,
    /// the decision is easy: Use NCHW"), so the FP32 (TF32) runs are NCHW too.</param>
    private static PublishedMeasurement ResNet50(string framework, string source, string key, string preset, int gpus, bool mixed, double imagesPerSecond, string caveats,
        bool channelsFirst = false) => new(
        Name: $"dle-{framework}-resnet50-{gpus}-gpu{(gpus > 1 ? "s" : "")}-{(mixed ? "amp" : "tf32")}",
        System: $"ResNet-50 v1.5 ({framework}) on {gpus} A100 of one DGX A100 ({preset}), 256 images per GPU, {(mixed ? "mixed precision (FP16 tensor cores)" : "TF32")}",
        Source: source,
        Metric: "samples_per_s",
        Measured: imagesPerSecond,
        Unit: "img/s",
        ScenarioYaml: $$$"""
            name: dle-{{{framework}}}-resnet50-{{{gpus}}}
            cluster: {preset: {{{preset}}}, nodes: 1}
            network: {backend: flow, collective: ring}
            model: {zoo: resnet50, memory_format: {{{(channelsFirst ? "nchw" : "nhwc")}}}}
            compute: {precision: {{{(mixed ? "fp16" : "tf32")}}}}
            training: {mode: data_parallel, workers: {{{gpus}}}, micro_batch: 256, iterations: 3, gradient_bytes: 4}
            outputs: {timeline: false, report: false}
            """,
        Caveats: caveats + " The input pipeline (DALI decoding and augmentation) is not simulated: the tables' 8-GPU scaling below linear (PyTorch mixed precision 6.72x) is partly the data loader's, which the simulator does not model.",
        SourceKey: key);

    private const string PyTorchCaveats = "Images per second over 100 iterations (--prof 100). AMP is PyTorch autocast (image_classification/training.py) with FP16 GEMMs and convolutions over FP32 parameters, so DDP all-reduces FP32 gradients in both precisions.";
    private const string TensorFlowCaveats = "A100 40GB (the dgx-a100-40gb preset: 1.555 TB/s HBM). XLA fuses element-wise work into the convolutions' neighbours, which the simulator's per-operation layers do not; FP32 gradients (FP32 variables, hvd.DistributedOptimizer without compression in model/resnet.py) all-reduced by Horovod, simulated as the data_parallel mode's bucketed all-reduce.";

    public static IReadOnlyList<PublishedMeasurement> All { get; } =
    [
        ResNet50("pytorch", PyTorchSource, "DeepLearningExamples ResNet-50 PyTorch (NVIDIA)", "dgx-a100", 1, true, 2470, PyTorchCaveats),
        ResNet50("pytorch", PyTorchSource, "DeepLearningExamples ResNet-50 PyTorch (NVIDIA)", "dgx-a100", 8, true, 16621, PyTorchCaveats),
        ResNet50("pytorch", PyTorchSource, "DeepLearningExamples ResNet-50 PyTorch (NVIDIA)", "dgx-a100", 1, false, 938, PyTorchCaveats, channelsFirst: true),
        ResNet50("pytorch", PyTorchSource, "DeepLearningExamples ResNet-50 PyTorch (NVIDIA)", "dgx-a100", 8, false, 7248, PyTorchCaveats, channelsFirst: true),
        ResNet50("tensorflow", TensorFlowSource, "DeepLearningExamples ResNet-50 TensorFlow (NVIDIA)", "dgx-a100-40gb", 1, true, 2375, TensorFlowCaveats),
        ResNet50("tensorflow", TensorFlowSource, "DeepLearningExamples ResNet-50 TensorFlow (NVIDIA)", "dgx-a100-40gb", 8, true, 17400, TensorFlowCaveats),
        ResNet50("tensorflow", TensorFlowSource, "DeepLearningExamples ResNet-50 TensorFlow (NVIDIA)", "dgx-a100-40gb", 1, false, 909, TensorFlowCaveats, channelsFirst: true),
        ResNet50("tensorflow", TensorFlowSource, "DeepLearningExamples ResNet-50 TensorFlow (NVIDIA)", "dgx-a100-40gb", 8, false, 7000, TensorFlowCaveats, channelsFirst: true),
    ];
}
