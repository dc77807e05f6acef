using Sim.Models.Workloads;

namespace Sim.Models.Tests.Workloads;

/// <summary>Closed-form checks of single operations in the CNN layer-table builder.</summary>
public class CnnBuilderTests
{
    [Theory]
    // floor((n + 2p - k) / s) + 1: ResNet stem, Inception stem, Inception's 35->17 and 17->8 reductions.
    [InlineData(224, 7, 2, 3, 112)]
    [InlineData(299, 3, 2, 0, 149)]
    [InlineData(35, 3, 2, 0, 17)]
    [InlineData(17, 3, 2, 0, 8)]
    [InlineData(56, 1, 2, 0, 28)]
    [InlineData(7, 7, 1, 0, 1)]
    public void Output_side_follows_the_convolution_arithmetic(int input, int kernel, int stride, int padding, int expected) =>
        Assert.Equal(expected, CnnBuilder.OutputSide("x", input, kernel, stride, padding));

    [Fact]
    public void Convolution_counts_flops_parameters_and_bytes()
    {
        var b = new CnnBuilder(bytesPerElement: 4, channels: 3, height: 224, width: 224);
        var y = b.Conv("conv1", b.Input, 64, kernel: 7, stride: 2, padding: 3);
        var layer = b.Layers.Single();
        Assert.Equal((64, 112, 112), (y.Channels, y.Height, y.Width));
        Assert.Equal(2.0 * 7 * 7 * 3 * 64 * 112 * 112, layer.ForwardFlops);
        Assert.Equal(2 * layer.ForwardFlops, layer.BackwardFlops);
        Assert.Equal(7.0 * 7 * 3 * 64, layer.Parameters);
        Assert.Equal(64.0 * 112 * 112 * 4, layer.OutputActivationBytes);
        Assert.Equal(3.0 * 224 * 224 * 4, layer.StoredActivationBytes);
        Assert.Equal(3.0 * 224 * 224 * 4 + 64.0 * 112 * 112 * 4, layer.ForwardBytes);
        Assert.Equal("conv", layer.Kind);
    }

    [Fact]
    public void Bias_adds_one_parameter_per_output_channel_and_one_add_per_output_element()
    {
        var b = new CnnBuilder(2, 16, 10, 10);
        b.Conv("with_bias", b.Input, 8, kernel: 3, padding: 1, bias: true);
        var layer = b.Layers.Single();
        Assert.Equal(3.0 * 3 * 16 * 8 + 8, layer.Parameters);
        Assert.Equal(2.0 * 3 * 3 * 16 * 8 * 10 * 10 + 8 * 10 * 10, layer.ForwardFlops);
    }

    [Fact]
    public void Rectangular_kernels_keep_the_map_size_with_matching_padding()
    {
        var b = new CnnBuilder(4, 128, 17, 17);
        var y = b.Conv("1x7", b.Input, 192, (1, 7), (1, 1), (0, 3));
        Assert.Equal((17, 17), (y.Height, y.Width));
        Assert.Equal(2.0 * 1 * 7 * 128 * 192 * 17 * 17, b.Layers.Single().ForwardFlops);
    }

    [Fact]
    public void Linear_batch_norm_and_relu_follow_their_definitions()
    {
        var b = new CnnBuilder(4, 2048, 1, 1);
        var bn = b.BatchNorm("bn", b.Input);
        var r = b.Relu("relu", bn);
        b.Linear("fc", r, 1000);
        var (norm, relu, fc) = (b.Layers[0], b.Layers[1], b.Layers[2]);
        Assert.Equal(2.0 * 2048, norm.Parameters);                 // gamma and beta per channel
        Assert.Equal(norm.ForwardFlops, norm.BackwardFlops);       // elementwise class: 1x
        Assert.Equal(2048.0, relu.ForwardFlops);
        Assert.Equal(2048.0 * 1000 + 1000, fc.Parameters);
        Assert.Equal(2.0 * 2048 * 1000 + 1000, fc.ForwardFlops);
        Assert.Equal(2 * fc.ForwardFlops, fc.BackwardFlops);
        Assert.Equal(("norm", "elementwise", "matmul"), (norm.Kind, relu.Kind, fc.Kind));
    }

    [Fact]
    public void A_tensor_read_by_several_layers_is_stored_once()
    {
        var b = new CnnBuilder(4, 64, 8, 8);
        b.Conv("branch_a", b.Input, 32, kernel: 1);
        b.Conv("branch_b", b.Input, 32, kernel: 1);
        Assert.Equal(64.0 * 8 * 8 * 4, b.Layers.Sum(l => l.StoredActivationBytes));
    }

    [Fact]
    public void Relu_output_is_stored_by_the_relu_not_again_by_its_consumer()
    {
        var b = new CnnBuilder(4, 8, 4, 4);
        var r = b.Relu("relu", b.Input);
        b.Conv("conv", r, 8, kernel: 1);
        Assert.Equal(8.0 * 4 * 4 * 4, b.Layers[0].StoredActivationBytes);
        Assert.Equal(0.0, b.Layers[1].StoredActivationBytes);
    }

    [Fact]
    public void Concat_adds_channels_and_moves_bytes_without_arithmetic()
    {
        var b = new CnnBuilder(2, 10, 5, 5);
        var a = b.Conv("a", b.Input, 3, kernel: 1);
        var c = b.Conv("c", b.Input, 7, kernel: 1);
        var y = b.Concat("cat", a, c);
        Assert.Equal(10, y.Channels);
        var cat = b.Layers[^1];
        Assert.Equal(0.0, cat.ForwardFlops);
        Assert.Equal(2.0 * 10 * 5 * 5 * 2, cat.ForwardBytes);
    }

    [Fact]
    public void Image_too_small_for_the_kernel_is_a_clear_error_naming_the_layer()
    {
        var b = new CnnBuilder(4, 3, 5, 5);
        var e = Assert.Throws<ArgumentException>(() => b.Conv("stem", b.Input, 8, kernel: 7));
        Assert.Contains("stem", e.Message);
        Assert.Contains("too small", e.Message);
    }

    [Fact]
    public void Mismatched_residual_shapes_are_rejected()
    {
        var b = new CnnBuilder(4, 8, 4, 4);
        var y = b.Conv("down", b.Input, 16, kernel: 1, stride: 2);
        Assert.Throws<ArgumentException>(() => b.Residual("add", b.Input, y));
    }
}
