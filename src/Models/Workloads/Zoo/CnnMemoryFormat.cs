namespace Sim.Models.Workloads;

/// <summary>
/// The memory format a framework keeps a CNN's feature maps in. NHWC (channels last) is the layout
/// tensor-core convolution kernels compute in; NCHW (channels first) is PyTorch's default, which its
/// `channels_last` memory format (`--memory-format nhwc` in NVIDIA's DeepLearningExamples) replaces.
/// With NCHW maps the convolution library transposes each pass's operands to NHWC and its result back
/// (NVIDIA Convolutional Layers User's Guide, quick-start checklist: "Choose tensor layouts in memory to
/// avoid transposing input and output data ... We recommend using the NHWC format"; the transposes are
/// cuDNN's nchwToNhwcKernel for the input and the filter and nhwcToNchwKernel for the output, as they
/// appear around each convolution in profiles of NCHW models), memory passes that
/// <c>ConvCost</c> charges when <see cref="ConvKernel.ChannelsFirst"/> is set. Like a translator at a
/// meeting: the talks are the same, every sentence just crosses the table twice.
/// </summary>
public static class CnnMemoryFormat
{
    /// <summary>The model with every convolution marked as running on NCHW maps; layers without convolutions are unchanged.</summary>
    public static ModelSpec ChannelsFirst(ModelSpec model)
    {
        if (!model.Layers.Any(l => l.Kernels?.OfType<ConvKernel>().Any() == true))
            throw new ArgumentException($"model '{model.Name}' has no convolutions; a memory format applies to CNNs");
        var layers = model.Layers.Select(l => l.Kernels?.OfType<ConvKernel>().Any() == true
            ? l with { Kernels = l.Kernels.Select(k => k is ConvKernel c ? c with { ChannelsFirst = true } : k).ToArray() }
            : l).ToArray();
        return model with { Layers = layers };
    }
}
