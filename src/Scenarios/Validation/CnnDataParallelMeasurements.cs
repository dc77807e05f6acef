namespace Sim.Scenarios.Validation;

/// <summary>
/// Convolutional networks trained data parallel on one DGX A100: NVIDIA's DeepLearningExamples
/// ResNet-50 v1.5 training-throughput tables (images per second, 1 and 8 GPUs, mixed precision and
/// TF32). The scenarios state only what the tables, their configuration files and the recipes' code state (model,
/// per-GPU batch, precision, GPU count, the feature maps' memory format; PyTorch: the optimizer as its loop runs it,
/// gradient accumulation, mixup and the per-parameter passes; TensorFlow: XLA and Horovod's issuing cycle); compute,
/// gradient all-reduce and its overlap with backward are the simulator's defaults for the machine. Nothing here was
/// tuned to these rows.
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
    /// <param name="xla">The run compiled its graph with XLA (the TensorFlow tables' columns are "TF32 + XLA" and "mixed precision + XLA";
    /// training_perf.sh passes --xla): the memory-bound operations between convolutions fuse (compute.compile, <c>CnnCompilerFusion</c>).</param>
    /// <param name="pyTorchLoop">The PyTorch recipe's training loop (image_classification/training.py and main.py of the pytorch-21.03 code,
    /// commit 7bdfc81d): torch.optim.SGD with momentum, weight decay off for batch norm (optimizers.py), run per tensor (the container's PyTorch, like every one before 2.0, has no
    /// foreach default), then <c>optimizer.zero_grad()</c> (set_to_none False: one kernel per gradient); under AMP <c>scaler.step(optimizer)</c> first reads GradScaler's inf flag with <c>.item()</c>, a host sync; and
    /// configs.yml's <c>optimizer_batch_size: 2048</c> (resnet_params_2k) makes main.py accumulate gradients over
    /// 2048 / (GPUs x 256) iterations per optimizer step: 8 on one GPU, 1 on eight. configs.yml's resnet_params also set
    /// <c>mixup: 0.2</c>, which main.py applies to every batch on the GPU (MixUpWrapper; model.mixup).</param>
    private static PublishedMeasurement ResNet50(string framework, string source, string key, string preset, int gpus, bool mixed, double imagesPerSecond, string caveats,
        bool channelsFirst = false, bool xla = false, bool pyTorchLoop = false) => new(
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
            model: {zoo: resnet50, memory_format: {{{(channelsFirst ? "nchw" : "nhwc")}}}{{{(pyTorchLoop ? ", mixup: true" : "")}}} }
            compute: {precision: {{{(mixed ? "fp16" : "tf32")}}}, compile: {{{(xla ? "true" : "false")}}}}
            training: {mode: data_parallel, workers: {{{gpus}}}, micro_batch: 256, iterations: {{{(pyTorchLoop ? 8 : 3)}}}, gradient_bytes: 4{{{(pyTorchLoop ? PyTorchOptimizerKeys(mixed) : "")}}}{{{(!pyTorchLoop && gpus > 1 ? HorovodKeys : "")}}} }
            outputs: {timeline: false, report: false}
            """,
        Caveats: caveats + " The input pipeline (JPEG decoding and augmentation on the host CPUs) is not simulated: the tables' 8-GPU scaling below linear (PyTorch mixed precision 6.72x) may be partly the data loader's, which the simulator does not model.",
        SourceKey: key);

    /// <summary>The training keys of the PyTorch recipe's optimizer (see ResNet50's pyTorchLoop).</summary>
    private static string PyTorchOptimizerKeys(bool mixed) =>
        $", optimizer: sgd_per_tensor, optimizer_after_sync: {(mixed ? "true" : "false")}, optimizer_batch: 2048, parameter_passes: {(mixed ? "pytorch_autocast" : "pytorch")}";

    /// <summary>The TensorFlow runs' Horovod (only when hvd.size() > 1: utils/hvd_utils.py is_using_hvd, model/resnet.py wraps the optimizer
    /// in hvd.DistributedOptimizer then): the 20.06 container's Horovod predates v0.21.0 (NVIDIA's TensorFlow release notes list
    /// Horovod 0.20.0 even in the later 20.10 container), so its background loop wakes every 5 ms
    /// (HOROVOD_CYCLE_TIME's default then; horovod CHANGELOG v0.21.0, #2468: "Changed default cycle time from 5ms to 1ms"), and the
    /// recipe sets no HOROVOD_CYCLE_TIME (runtime/runner.py sets only HOROVOD_GPU_ALLREDUCE).</summary>
    private const string HorovodKeys = ", sync_cycle_ms: 5";

    private const string PyTorchCaveats = "Images per second over 100 iterations (--prof 100): the mean of each iteration's rate, the first (data loader start-up, cuDNN autotuning) included, which is not simulated. " +
        "AMP is PyTorch autocast (image_classification/training.py) with FP16 GEMMs and convolutions over FP32 parameters, so DDP all-reduces FP32 gradients in both precisions. " +
        "configs.yml sets data_backend: pytorch (torchvision ImageFolder decoding with PIL in 16 DataLoader workers per GPU, workers: 16 for DGXA100), not DALI. " +
        "The optimizer is torch.optim.SGD with momentum run per tensor (training.optimizer: sgd_per_tensor), after GradScaler's .item() host sync under AMP, once per 2048 images (optimizer_batch_size: 2048: every 8th iteration on one GPU, every iteration on eight); " +
        "8 iterations are simulated so that one GPU's cycle of accumulation is whole. PyTorch's per-parameter passes (training.parameter_passes): AccumulateGrad into the kept gradients, DDP's bucket copies on 8 GPUs (main.py wraps the model in DDP with its defaults), autocast's casts under AMP. Mixup (configs.yml mixup: 0.2, MixUpWrapper in main.py) mixes every FP32 input batch on the training stream (model.mixup). " +
        "Not simulated: label smoothing, the input's conversion to float and normalisation (on a side stream, PrefetchedWrapper), autocast's cast of the input to FP16, and the per-step torch.cuda.synchronize() with the host's Python work between steps.";
    private const string TensorFlowCaveats = "A100 40GB (the dgx-a100-40gb preset: 1.555 TB/s HBM). XLA on (the table's columns are \"+ XLA\"; training_perf.sh passes --xla): batch norm is expanded into element-wise operations and reductions that fuse with the ReLUs and residual adds between two cuDNN convolutions, simulated as compute.compile (each run fused as ElementwiseRun fuses: one launch, later kernels skip reading their predecessor's output; XLA may also drop some intermediate writes, which is not modelled). FP32 gradients (FP32 variables, hvd.DistributedOptimizer without compression in model/resnet.py) all-reduced by Horovod, simulated as the data_parallel mode's bucketed all-reduce, each bucket issued at Horovod's next background-loop wake-up (every 5 ms, the default before Horovod v0.21.0; training.sync_cycle_ms: 5 on 8 GPUs, half a cycle's wait on average; one GPU runs no Horovod all-reduce).";

    public static IReadOnlyList<PublishedMeasurement> All { get; } =
    [
        ResNet50("pytorch", PyTorchSource, "DeepLearningExamples ResNet-50 PyTorch (NVIDIA)", "dgx-a100", 1, true, 2470, PyTorchCaveats, pyTorchLoop: true),
        ResNet50("pytorch", PyTorchSource, "DeepLearningExamples ResNet-50 PyTorch (NVIDIA)", "dgx-a100", 8, true, 16621, PyTorchCaveats, pyTorchLoop: true),
        ResNet50("pytorch", PyTorchSource, "DeepLearningExamples ResNet-50 PyTorch (NVIDIA)", "dgx-a100", 1, false, 938, PyTorchCaveats, channelsFirst: true, pyTorchLoop: true),
        ResNet50("pytorch", PyTorchSource, "DeepLearningExamples ResNet-50 PyTorch (NVIDIA)", "dgx-a100", 8, false, 7248, PyTorchCaveats, channelsFirst: true, pyTorchLoop: true),
        ResNet50("tensorflow", TensorFlowSource, "DeepLearningExamples ResNet-50 TensorFlow (NVIDIA)", "dgx-a100-40gb", 1, true, 2375, TensorFlowCaveats, xla: true),
        ResNet50("tensorflow", TensorFlowSource, "DeepLearningExamples ResNet-50 TensorFlow (NVIDIA)", "dgx-a100-40gb", 8, true, 17400, TensorFlowCaveats, xla: true),
        ResNet50("tensorflow", TensorFlowSource, "DeepLearningExamples ResNet-50 TensorFlow (NVIDIA)", "dgx-a100-40gb", 1, false, 909, TensorFlowCaveats, channelsFirst: true, xla: true),
        ResNet50("tensorflow", TensorFlowSource, "DeepLearningExamples ResNet-50 TensorFlow (NVIDIA)", "dgx-a100-40gb", 8, false, 7000, TensorFlowCaveats, channelsFirst: true, xla: true),
    ];
}
