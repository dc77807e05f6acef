using Sim.Models.Workloads;

namespace Sim.Models.Tests.Workloads;

/// <summary>
/// The CNN zoo against published figures. Parameter counts are exact integers published by torchvision
/// (the model builders' docs: num_params), so they must match exactly: any architecture slip changes
/// them. Multiply-accumulates are compared with conv and linear layers only, which is what the
/// published "GFLOPS" (really GMACs) count; torchvision prints them to 2 decimals, so the tolerance
/// is that rounding (0.005 G) plus 0.1% for their counter's treatment of pooling layers.
/// </summary>
public class CnnZooTests
{
    private static double Macs(ModelSpec m) => m.Layers.Where(l => l.Kind is "conv" or "matmul").Sum(l => l.ForwardFlops) / 2;

    private static void AssertNear(double expected, double actual, double relative) =>
        Assert.True(Math.Abs(actual - expected) <= relative * Math.Abs(expected), $"expected {expected:G6} +- {relative:P2}, got {actual:G6}");

    [Theory]
    // torchvision docs: ResNet50_Weights.IMAGENET1K_V1 25,557,032 params, 4.09 GFLOPS; ResNet101 44,549,160, 7.80;
    // VGG16 138,357,544, 15.47; Inception_V3 27,161,264 params including the auxiliary classifier, 5.71 GFLOPS.
    // The aux classifier (conv 768->128 1x1 + BN, conv 128->768 5x5 + BN, fc 768->1000) holds
    // 98,560 + 2,459,136 + 769,000 = 3,326,696 params, so without it: 23,834,568.
    [InlineData("resnet50", 25_557_032, 4.09e9)]
    [InlineData("resnet101", 44_549_160, 7.80e9)]
    [InlineData("vgg16", 138_357_544, 15.47e9)]
    [InlineData("inception_v3", 27_161_264 - (98_560 + 2_459_136 + 769_000), 5.71e9)]
    public void Parameters_and_multiply_adds_match_the_published_figures(string name, double parameters, double macs)
    {
        var model = ModelZoo.Get(name);
        Assert.Equal(parameters, model.Parameters);
        AssertNear(macs, Macs(model), 0.005e9 / macs + 0.001);
    }

    [Theory]
    // He et al. 2016, Table 1: 3.8e9 and 7.6e9 multiply-adds with the stride on the first 1x1 conv.
    // Two significant figures (and the 50-layer figure looks truncated: 3.86 -> 3.8), so 2%.
    [InlineData(true, 3.8e9)]
    [InlineData(false, 7.6e9)]
    public void Original_resnet_stride_placement_matches_He_et_al(bool fifty, double published)
    {
        var blocks = fifty ? ResNet.ResNet50Blocks : ResNet.ResNet101Blocks;
        var v1 = ResNet.Build("v1", blocks, 4, strideOnThreeByThree: false);
        var v15 = ResNet.Build("v1.5", blocks, 4, strideOnThreeByThree: true);
        AssertNear(published, Macs(v1), 0.02);
        Assert.Equal(v15.Parameters, v1.Parameters);
        Assert.True(Macs(v1) < Macs(v15)); // striding earlier shrinks the 3x3 conv's output
    }

    [Fact]
    public void Resnet50_has_sixteen_bottlenecks_of_the_paper_and_the_right_conv_count()
    {
        var model = ModelZoo.Get("resnet50");
        int blocks = model.Layers.Count(l => l.Name.EndsWith(".add"));
        Assert.Equal(3 + 4 + 6 + 3, blocks);
        // 1 stem + 3 per block + 4 downsample shortcuts = 53 convolutions; plus fc.
        Assert.Equal(53, model.Layers.Count(l => l.Kind == "conv"));
        Assert.Equal(33 * 3 + 4 + 1, ModelZoo.Get("resnet101").Layers.Count(l => l.Kind == "conv"));
    }

    [Fact]
    public void Vgg16_has_thirteen_convolutions_and_three_fully_connected_layers()
    {
        var model = ModelZoo.Get("vgg16");
        Assert.Equal(13, model.Layers.Count(l => l.Kind == "conv"));
        Assert.Equal(3, model.Layers.Count(l => l.Kind == "matmul"));
        // The first classifier layer sees the 512x7x7 map: 25088 x 4096 weights + bias.
        Assert.Equal(25088.0 * 4096 + 4096, model.Layers.First(l => l.Kind == "matmul").Parameters);
    }

    [Fact]
    public void Inception_v3_has_the_torchvision_block_sequence_and_ends_in_2048_channels()
    {
        var model = ModelZoo.Get("inception_v3");
        string[] blocks = ["Mixed_5b", "Mixed_5c", "Mixed_5d", "Mixed_6a", "Mixed_6b", "Mixed_6c", "Mixed_6d", "Mixed_6e", "Mixed_7a", "Mixed_7b", "Mixed_7c"];
        var concats = model.Layers.Where(l => l.Name.EndsWith(".cat")).Select(l => l.Name.Split('.')[0]).ToArray();
        Assert.Equal(blocks, concats);
        // torchvision's Inception3 has 96 BasicConv2d: stem 5, 3 x A 7, B 4, 4 x C 10, D 6, 2 x E 9, aux 2 (excluded).
        Assert.Equal(94, model.Layers.Count(l => l.Kind == "conv"));
        Assert.Equal(2048.0 * 1000 + 1000, model.Layers[^1].Parameters);
        // The last block's output at 299x299 is 2048 x 8 x 8 (fp32).
        Assert.Equal(2048.0 * 8 * 8 * 4, model.Layers.Single(l => l.Name == "Mixed_7c.cat").OutputActivationBytes);
    }

    [Theory]
    [InlineData("resnet50")]
    [InlineData("resnet101")]
    [InlineData("vgg16")]
    [InlineData("inception_v3")]
    public void Backward_is_twice_forward_for_conv_and_linear_and_once_for_the_rest(string name)
    {
        foreach (var l in ModelZoo.Get(name).Layers)
        {
            double ratio = l.Kind is "conv" or "matmul" ? 2 : 1;
            Assert.Equal(ratio * l.ForwardFlops, l.BackwardFlops);
            Assert.Contains(l.Kind, new[] { "conv", "matmul", "elementwise", "pool", "norm" });
        }
    }

    [Fact]
    public void Doubling_the_image_side_quadruples_every_convolution_and_leaves_parameters_alone()
    {
        // 448 halves exactly down to 14x14 wherever 224 reaches 7x7, so every conv output has 4x the pixels.
        var small = ModelZoo.Get("resnet50");
        var large = ModelZoo.Get("resnet50", new ZooOptions { ImageSize = 448 });
        double Conv(ModelSpec m) => m.Layers.Where(l => l.Kind == "conv").Sum(l => l.ForwardFlops);
        Assert.Equal(4 * Conv(small), Conv(large));
        Assert.Equal(small.Parameters, large.Parameters);
    }

    [Fact]
    public void Half_precision_halves_every_byte_count_and_keeps_the_arithmetic()
    {
        var fp32 = ModelZoo.Get("inception_v3");
        var fp16 = ModelZoo.Get("inception_v3", new ZooOptions { BytesPerElement = 2 });
        for (int i = 0; i < fp32.Layers.Count; i++)
        {
            Assert.Equal(fp32.Layers[i].ForwardFlops, fp16.Layers[i].ForwardFlops);
            Assert.Equal(fp32.Layers[i].OutputActivationBytes / 2, fp16.Layers[i].OutputActivationBytes);
            Assert.Equal(fp32.Layers[i].ForwardBytes / 2, fp16.Layers[i].ForwardBytes);
        }
        // Max pooling's int64 indices do not shrink with precision.
        Assert.True(fp16.Layers.Sum(l => l.StoredActivationBytes) > fp32.Layers.Sum(l => l.StoredActivationBytes) / 2);
    }

    [Fact]
    public void Resnet50_stored_activations_are_bounded_by_the_sum_of_all_layer_outputs()
    {
        // Upper bound: every stored tensor is some layer's output or the input image, each counted at
        // most once, plus the stem max pool's 64x56x56 int64 indices.
        // Lower bound: every conv output feeds a batch norm, which must keep it.
        var m = ModelZoo.Get("resnet50");
        double stored = m.Layers.Sum(l => l.StoredActivationBytes);
        double upper = m.Layers.Sum(l => l.OutputActivationBytes) + 3.0 * 224 * 224 * 4 + 64.0 * 56 * 56 * 8;
        double lower = m.Layers.Where(l => l.Kind == "conv").Sum(l => l.OutputActivationBytes);
        Assert.InRange(stored, lower, upper);
    }
}
