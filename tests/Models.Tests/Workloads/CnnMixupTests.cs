using Sim.Models.Workloads;

namespace Sim.Models.Tests.Workloads;

/// <summary>Mixup on the GPU (<see cref="CnnMixup"/>): 36 FP32 bytes per input element in four kernels, no backward,
/// no FLOPs or parameters added to the network.</summary>
public sealed class CnnMixupTests
{
    [Fact]
    public void ResNet50_gets_one_mixup_layer_of_four_kernels_over_the_224_pixel_image()
    {
        var resnet50 = ModelZoo.Get("resnet50");
        var mixed = CnnMixup.Prepend(resnet50);
        Assert.Equal(resnet50.Layers.Count + 1, mixed.Layers.Count);
        var layer = mixed.Layers[0];
        Assert.Equal("input.mixup", layer.Name);
        var kernels = layer.Kernels!.Cast<StreamKernel>().ToArray();
        Assert.Equal(4, kernels.Length);
        const double elements = 3.0 * 224 * 224;
        // c * x (8), x[perm] (8), (1 - c) * (8), sum (12): 36 bytes per element, in FP32 whatever the training precision.
        Assert.Equal(new[] { 8 * elements, 8 * elements, 8 * elements, 12 * elements }, kernels.Select(k => k.BytesPerSample));
        Assert.All(kernels, k => Assert.Equal(0, k.BackwardBytes));
        Assert.Equal(36 * elements, layer.ForwardBytes);
        // The network's FLOPs and parameters are unchanged (MFU counts the network).
        Assert.Equal(resnet50.Parameters, mixed.Parameters);
        Assert.Equal(resnet50.ForwardFlopsPerSample, mixed.ForwardFlopsPerSample);
        Assert.Same(resnet50.Layers[0], mixed.Layers[1]);
    }

    [Fact]
    public void A_model_without_convolutions_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => CnnMixup.Prepend(ModelZoo.Get("bert_large")));
        Assert.Contains("no convolutions", e.Message);
    }
}
