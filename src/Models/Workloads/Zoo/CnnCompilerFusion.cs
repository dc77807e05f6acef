namespace Sim.Models.Workloads;

/// <summary>
/// A CNN as a graph compiler runs it: every run of memory-bound operations between two library calls
/// (convolutions, matrix multiplies) becomes fused kernels instead of one kernel per operation. CNN layers are
/// one operation each (batch norm, ReLU, residual add, pooling), so the kernel compute model's per-layer
/// fusion (<c>compute.compile</c>, <c>Sim.Models.Compute.ElementwiseRun</c>) would find nothing to fuse inside a
/// layer; this moves each such run's kernels into the run's first layer, where it is fused as one run, and leaves
/// the other layers of the run with no kernels of their own (their parameters, memory and gradients stay theirs).
/// <para>
/// Why this is what XLA does with TensorFlow's ResNet-50 (NVIDIA DeepLearningExamples, TensorFlow ResNet-50 v1.5,
/// whose A100 training tables are "TF32 + XLA" and "mixed precision + XLA"; its README's known issue reads
/// "Performance without XLA enabled is low due to BN + ReLU fusion bug"): XLA's GPU pipeline expands training batch
/// norm and its gradient into element-wise operations and reductions (tensorflow/compiler/xla/service/gpu/gpu_compiler.cc
/// adds BatchNormExpander with rewrite_training_op and rewrite_grad_op; cuDNN batch norm is off by default,
/// debug_options_flags.cc: "Set cudnn batchnorm off by default; it does not provide a performance win on average").
/// Its instruction fusion then fuses element-wise producers into their consumers, reductions included (GpuInstructionFusion,
/// loop and input fusions), and its multi-output fusion lets sibling reductions share one read of their input; a
/// convolution stays a cuDNN custom call, which nothing fuses across (in training batch norm stands between a
/// convolution and its ReLU, so the forward conv-bias-activation rewrite does not apply). TorchInductor fuses the
/// same way around its library calls.
/// </para>
/// <para>
/// A run is fused by the same rule as a transformer's (<c>ElementwiseRun</c>): one launch, and each kernel after the first
/// skips the read of its predecessor's output. The kernels keep their forward order in backward as well, as the kernel
/// compute model does for every fused run.
/// </para>
/// </summary>
public static class CnnCompilerFusion
{
    /// <summary>
    /// The model with each maximal run of adjacent layers made only of memory-bound kernels gathered into the run's
    /// first layer; layers with a convolution, a matrix multiply or no kernel list end a run and are unchanged.
    /// </summary>
    public static ModelSpec FuseElementwiseRuns(ModelSpec model)
    {
        if (!model.Layers.Any(l => l.Kernels?.OfType<ConvKernel>().Any() == true))
            throw new ArgumentException($"model '{model.Name}' has no convolutions; fusion across layers applies to CNNs (a transformer's layers fuse inside themselves)");
        var layers = model.Layers.ToArray();
        int i = 0;
        while (i < layers.Length)
        {
            if (!IsMemoryBound(layers[i])) { i++; continue; }
            int end = i + 1;
            while (end < layers.Length && IsMemoryBound(layers[end])) end++;
            if (end - i > 1)
            {
                layers[i] = layers[i] with { Kernels = layers[i..end].SelectMany(l => l.Kernels!).ToArray() };
                for (int j = i + 1; j < end; j++) layers[j] = layers[j] with { Kernels = [] };
            }
            i = end;
        }
        return model with { Layers = layers };
    }

    private static bool IsMemoryBound(Layer layer) => layer.Kernels is { Count: > 0 } kernels && kernels.All(k => k is StreamKernel);
}
