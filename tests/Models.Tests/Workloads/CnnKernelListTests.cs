using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Workloads;

/// <summary>
/// The kernels the CNN builder lists for kernel-level costing: each convolution's shape carries the layer's
/// FLOPs, the memory-bound kernels move the passes PyTorch's CUDA kernels make (batch norm 3 maps forward,
/// 5 backward; ReLU 2 and 3; residual add 3 and 3), the image's convolution computes no input gradient, and
/// a layer's kernel-level time is the sum of those kernels' closed forms.
/// </summary>
public sealed class CnnKernelListTests
{
    private static readonly DeviceSpec A100 = HardwarePresets.A100Sxm80;
    private static readonly GpuKernelFacts F = A100.Kernels!;

    private static double Stream(double bytes) => bytes / (A100.MemoryBandwidth * F.MemoryEfficiency) + F.KernelOverheadSeconds;

    [Fact]
    public void Batch_norm_and_relu_move_the_passes_of_their_kernels()
    {
        var b = new CnnBuilder(bytesPerElement: 2, channels: 64, height: 56, width: 56);
        b.ConvBnRelu("x", b.Input, 64, kernel: 3, stride: 1, padding: 1);
        double map = 64.0 * 56 * 56 * 2; // one 56 x 56 x 64 FP16 map per image
        var bn = Assert.IsType<StreamKernel>(Assert.Single(b.Layers[1].Kernels!));
        Assert.Equal(3 * map, bn.BytesPerSample);   // statistics read, then read and write
        Assert.Equal(5 * map, bn.BackwardBytes);    // reduce over dy and x, then read both and write dx
        var relu = Assert.IsType<StreamKernel>(Assert.Single(b.Layers[2].Kernels!));
        Assert.Equal(2 * map, relu.BytesPerSample);
        Assert.Equal(3 * map, relu.BackwardBytes);  // threshold_backward reads dy and y, writes dx
    }

    [Fact]
    public void A_residual_add_moves_three_maps_each_way()
    {
        var b = new CnnBuilder(4, 256, 14, 14);
        b.Residual("add", b.Input, b.Input);
        var add = Assert.IsType<StreamKernel>(Assert.Single(b.Layers[0].Kernels!));
        Assert.Equal(3 * 256.0 * 14 * 14 * 4, add.BytesPerSample);
        Assert.Equal(3 * 256.0 * 14 * 14 * 4, add.BackwardBytes);
    }

    [Theory]
    [InlineData("resnet50")]
    [InlineData("vgg16")]
    [InlineData("inception_v3")]
    public void Every_layer_lists_kernels_and_convolutions_carry_their_layers_FLOPs(string model)
    {
        var spec = ModelZoo.Get(model);
        Assert.All(spec.Layers, l => Assert.NotNull(l.Kernels));
        foreach (var layer in spec.Layers.Where(l => l.Kind == "conv"))
        {
            var conv = layer.Kernels!.OfType<ConvKernel>().Single();
            double bias = layer.Parameters > conv.KernelHeight * conv.KernelWidth * conv.InChannels * (double)conv.OutChannels ? conv.OutChannels * conv.OutHeight * conv.OutWidth : 0;
            Assert.Equal(layer.ForwardFlops, conv.ForwardFlops + bias);
        }
    }

    [Fact]
    public void Only_the_convolution_of_the_image_skips_its_input_gradient()
    {
        var convs = ModelZoo.Get("resnet50").Layers.SelectMany(l => l.Kernels!).OfType<ConvKernel>().ToList();
        Assert.False(convs[0].InputGradient);
        Assert.All(convs.Skip(1), c => Assert.True(c.InputGradient));
        var compute = new KernelCompute(A100, Precision.Fp16);
        var stem = ModelZoo.Get("resnet50", new ZooOptions { BytesPerElement = 2 }).Layers[0];
        var conv = (ConvKernel)stem.Kernels![0];
        double weightGradient = ConvCost.Seconds(conv, ConvPass.WeightGradient, 64, F, compute.PeakFlops, A100.MemoryBandwidth, 2);
        Assert.Equal(weightGradient, compute.LayerTime(stem, Phase.Backward, 64), 15);
    }

    [Fact]
    public void A_bottleneck_convolution_is_its_forward_or_its_two_gradient_passes()
    {
        var layer = ModelZoo.Get("resnet50", new ZooOptions { BytesPerElement = 2 }).Layers.Single(l => l.Name == "layer3.2.conv2");
        var conv = Assert.IsType<ConvKernel>(Assert.Single(layer.Kernels!));
        Assert.Equal((256, 256, 3, 14, 14), (conv.InChannels, conv.OutChannels, conv.KernelHeight, conv.OutHeight, conv.OutWidth));
        var compute = new KernelCompute(A100, Precision.Fp16);
        double Pass(ConvPass p) => ConvCost.Seconds(conv, p, 256, F, compute.PeakFlops, A100.MemoryBandwidth, 2);
        Assert.Equal(Pass(ConvPass.Forward), compute.LayerTime(layer, Phase.Forward, 256), 15);
        Assert.Equal(Pass(ConvPass.DataGradient) + Pass(ConvPass.WeightGradient), compute.LayerTime(layer, Phase.Backward, 256), 15);
    }

    [Fact]
    public void Channels_first_marks_every_convolution_and_nothing_else()
    {
        var nhwc = ModelZoo.Get("resnet50");
        var nchw = CnnMemoryFormat.ChannelsFirst(nhwc);
        Assert.All(nchw.Layers.SelectMany(l => l.Kernels!).OfType<ConvKernel>(), c => Assert.True(c.ChannelsFirst));
        Assert.Equal(nhwc.Layers.SelectMany(l => l.Kernels!).OfType<StreamKernel>(), nchw.Layers.SelectMany(l => l.Kernels!).OfType<StreamKernel>());
        Assert.Equal(nhwc.Layers.Select(l => l with { Kernels = null }), nchw.Layers.Select(l => l with { Kernels = null }));
        var e = Assert.Throws<ArgumentException>(() => CnnMemoryFormat.ChannelsFirst(ModelZoo.Get("bert_large")));
        Assert.Contains("no convolutions", e.Message);
    }

    [Fact]
    public void A_ResNet_step_grows_with_the_batch_and_TF32_is_slower_than_FP16()
    {
        static double Step(Precision p, int batch)
        {
            var model = ModelZoo.Get("resnet50", new ZooOptions { BytesPerElement = p == Precision.Tf32 ? 4 : 2 });
            var compute = new KernelCompute(A100, p);
            return model.Layers.Sum(l => compute.LayerTime(l, Phase.Forward, batch) + compute.LayerTime(l, Phase.Backward, batch));
        }
        double previous = 0;
        foreach (int batch in new[] { 1, 2, 8, 32, 64, 128, 256 })
        {
            double fp16 = Step(Precision.Fp16, batch);
            Assert.True(fp16 > previous, $"batch {batch}: {fp16} s after {previous} s");
            Assert.True(Step(Precision.Tf32, batch) > fp16, $"batch {batch}: TF32 not slower than FP16");
            Assert.Equal(fp16, Step(Precision.Fp16, batch)); // deterministic, bit for bit
            previous = fp16;
        }
    }

    [Fact]
    public void TF32_runs_tensor_cores_at_its_own_peak_on_four_byte_maps()
    {
        var tf32 = new KernelCompute(A100, Precision.Tf32);
        Assert.Equal(156e12, tf32.PeakFlops);
        var layer = ModelZoo.Get("resnet50", new ZooOptions { BytesPerElement = 4 }).Layers.Single(l => l.Name == "layer3.2.bn2");
        var bn = (StreamKernel)layer.Kernels![0];
        Assert.Equal(3 * 256.0 * 14 * 14 * 4, bn.BytesPerSample);
        Assert.Equal(Stream(32 * bn.BytesPerSample), tf32.LayerTime(layer, Phase.Forward, 32), 15);
        Assert.Equal(Stream(32 * bn.BackwardBytes), tf32.LayerTime(layer, Phase.Backward, 32), 15);
    }
}
