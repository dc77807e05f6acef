namespace Sim.Models.Workloads;

/// <summary>
/// Mixup (Zhang et al., ICLR 2018) of each batch on the GPU before the forward pass, as NVIDIA's DeepLearningExamples
/// image classification recipes run it (PyTorch/Classification/ConvNets/image_classification/mixup.py:
/// <c>md = c * data + (1 - c) * data[perm, :]</c> on the FP32 input batch, on the training stream): four element-wise
/// kernels, each writing a new FP32 tensor of the input's size: <c>c * data</c> reads and writes 4 bytes per element,
/// the gather <c>data[perm]</c> 4 + 4, <c>(1 - c) * ...</c> 4 + 4, the sum 8 + 4: 36 bytes per input element, no
/// backward. Like shuffling two decks together before dealing: quick, but every card is handled. The labels' mixing
/// (batch x classes) is negligible beside it and left out.
/// </summary>
public static class CnnMixup
{
    /// <summary>FP32 bytes each of the four kernels moves per input element: scale, gather, scale, sum.</summary>
    public static IReadOnlyList<double> KernelBytesPerInputElement { get; } = [8, 8, 8, 12];

    /// <summary>FP32 bytes the four kernels move per input element: 36.</summary>
    public static double BytesPerInputElement => KernelBytesPerInputElement.Sum();

    /// <summary>
    /// The model with a first layer "input.mixup" mixing its input images: the image is what the first convolution
    /// reads (its channels as the data has them, before any tensor-core padding). The mix adds no model FLOPs (MFU
    /// counts the network's) and no parameters.
    /// </summary>
    public static ModelSpec Prepend(ModelSpec model)
    {
        var first = model.Layers.SelectMany(l => l.Kernels ?? []).OfType<ConvKernel>().FirstOrDefault()
            ?? throw new ArgumentException($"model '{model.Name}' has no convolutions; mixup applies to image CNNs");
        double elements = (double)first.InChannels * first.InHeight * first.InWidth;
        var kernels = KernelBytesPerInputElement
            .Select((bytes, i) => (KernelOp)new StreamKernel($"input.mixup.{i}", bytes * elements, TensorSplit.Replicated, BackwardBytesPerSample: 0))
            .ToArray();
        var mixup = new Layer
        {
            Name = "input.mixup", Kind = "elementwise",
            ForwardFlops = 0, BackwardFlops = 0, Parameters = 0, OutputActivationBytes = 0,
            ForwardBytes = BytesPerInputElement * elements,
            Kernels = kernels,
        };
        return model with { Layers = [mixup, .. model.Layers] };
    }
}
