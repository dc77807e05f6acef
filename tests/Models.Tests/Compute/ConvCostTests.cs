using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Compute;

/// <summary>
/// Convolutions as implicit GEMMs (CUTLASS's implicit_gemm_problem_size): the GEMM shape of each pass
/// against its closed form, FLOPs conserved across the three passes, the wave step of a convolution when
/// one image more spills a tile past a full wave, the split-K weight gradient against its closed form,
/// and the HBM floor of a thin convolution.
/// </summary>
public sealed class ConvCostTests
{
    private const double Peak = 312e12, Bandwidth = 2039e9, Half = 2;

    /// <summary>The A100's figures with one tile shape, no launch overhead, burst clock.</summary>
    private static GpuKernelFacts Facts() => HardwarePresets.A100Sxm80.Kernels! with { GemmTiles = [(128, 128)], KernelOverheadSeconds = 0, SustainedClockFraction = 1 };

    private static double TileSeconds(GpuKernelFacts f, double k) => 2.0 * 128 * 128 * k / (Peak / f.StreamingMultiprocessors * f.GemmEfficiency);

    /// <summary>ResNet-50 layer2's 3x3 convolution: 128 -> 128 channels on a 28 x 28 map.</summary>
    private static readonly ConvKernel ThreeByThree = new("layer2.1.conv2", 128, 128, 3, 3, 1, 1, 28, 28, 28, 28);

    [Fact]
    public void Each_pass_is_the_implicit_GEMM_of_its_closed_form()
    {
        const int n = 256;
        Assert.Equal(new ImplicitGemm(n * 28 * 28, 128, 128 * 9), ConvCost.Shape(ThreeByThree, ConvPass.Forward, n, Half));        // M = NPQ, N = K, K = CRS
        Assert.Equal(new ImplicitGemm(n * 28 * 28, 128, 128 * 9), ConvCost.Shape(ThreeByThree, ConvPass.DataGradient, n, Half));   // M = NHW, N = C, K = KRS
        Assert.Equal(new ImplicitGemm(128, 128 * 9, n * 28 * 28), ConvCost.Shape(ThreeByThree, ConvPass.WeightGradient, n, Half)); // M = K, N = CRS, K = NPQ
    }

    [Theory]
    [InlineData(128, 128, 3, 1, 28, 28)] // stride 1
    [InlineData(128, 128, 3, 2, 56, 28)] // ResNet v1.5's strided 3x3
    [InlineData(256, 512, 1, 2, 56, 28)] // a strided 1x1 shortcut
    [InlineData(64, 64, 7, 2, 224, 112)] // a stem-like 7x7 (channels already aligned)
    public void The_three_passes_do_the_forward_FLOPs_each(int c, int k, int r, int stride, int input, int output)
    {
        var conv = new ConvKernel("c", c, k, r, r, stride, stride, input, input, output, output);
        double forward = conv.ForwardFlops * 32;
        foreach (var pass in new[] { ConvPass.Forward, ConvPass.DataGradient, ConvPass.WeightGradient })
            Assert.Equal(forward, ConvCost.Shape(conv, pass, 32, Half).Flops, 6);
    }

    [Fact]
    public void Input_channels_are_padded_to_the_tensor_core_granularity()
    {
        Assert.Equal(8, ConvCost.PaddedChannels(3, 2));  // FP16/BF16: multiples of 8
        Assert.Equal(4, ConvCost.PaddedChannels(3, 4));  // TF32: multiples of 4
        Assert.Equal(64, ConvCost.PaddedChannels(64, 2));
        var stem = new ConvKernel("conv1", 3, 64, 7, 7, 2, 2, 224, 224, 112, 112);
        Assert.Equal(8 * 49, ConvCost.Shape(stem, ConvPass.Forward, 1, Half).K);
    }

    [Fact]
    public void A_convolution_takes_one_more_wave_when_one_more_image_spills_a_tile()
    {
        // 1x1 convolution, 8 x 8 output map: 64 output rows per image, two images per 128-row tile; 128
        // filters are one tile column; 4096 input channels make it compute-bound.
        var f = Facts() with { MemoryEfficiency = 1 };
        var conv = new ConvKernel("c", 4096, 128, 1, 1, 1, 1, 8, 8, 8, 8);
        int sms = f.StreamingMultiprocessors;
        double Time(int batch) => ConvCost.Seconds(conv, ConvPass.Forward, batch, f, Peak, 1e30, Half);
        double tile = TileSeconds(f, 4096);
        Assert.Equal(tile, Time(2), 12);
        Assert.Equal(tile, Time(2 * sms), 12);          // 108 tiles: one full wave
        Assert.Equal(2 * tile, Time(2 * sms + 1), 12);   // 109 tiles: a second wave for one image more
    }

    [Fact]
    public void The_weight_gradient_splits_its_reduction_over_the_SMs()
    {
        // ResNet-50 layer1's 1x1 64 -> 64 convolution at 256 images: the weight gradient is one 64 x 64
        // output tile reduced over 256 x 56 x 56 = 802,816 rows. Unsplit it would run on one SM.
        var f = Facts();
        var conv = new ConvKernel("layer1.1.conv1", 64, 64, 1, 1, 1, 1, 56, 56, 56, 56);
        double k = 256.0 * 56 * 56, stream = Bandwidth * f.MemoryEfficiency;
        double unsplit = TileSeconds(f, k);
        // The best split is the largest considered (64 slices on 108 SMs: one wave of depth k / 64),
        // plus the reduction kernel reading 64 FP32 partials and writing the result.
        double split = TileSeconds(f, k / ConvCost.MaxSplitK) + (ConvCost.MaxSplitK * ConvCost.PartialSumBytes + Half) * 64 * 64 / stream;
        double seconds = ConvCost.Seconds(conv, ConvPass.WeightGradient, 256, f, Peak, Bandwidth, Half);
        Assert.Equal(split, seconds, 12);
        Assert.True(seconds < unsplit / 50, $"split-K {seconds * 1e6:F1} us vs unsplit {unsplit * 1e6:F1} us");
    }

    [Fact]
    public void A_thin_convolution_is_bounded_by_the_tensors_it_moves()
    {
        // The same 64 -> 64 1x1 forward: 64-deep tiles finish long before the 2 x 103 MB of maps stream through HBM.
        var f = Facts();
        var conv = new ConvKernel("layer1.1.conv1", 64, 64, 1, 1, 1, 1, 56, 56, 56, 56);
        double bytes = (2 * 256.0 * 64 * 56 * 56 + 64 * 64) * Half;
        Assert.Equal(bytes, ConvCost.TensorBytes(conv, 256, Half));
        Assert.Equal(bytes / (Bandwidth * f.MemoryEfficiency), ConvCost.Seconds(conv, ConvPass.Forward, 256, f, Peak, Bandwidth, Half), 12);
    }

    [Fact]
    public void NCHW_maps_add_a_transpose_of_each_operand_and_the_result_to_every_pass()
    {
        var f = HardwarePresets.A100Sxm80.Kernels!;
        var nchw = ThreeByThree with { ChannelsFirst = true };
        double maps = (2 * 64.0 * 128 * 28 * 28 + 128 * 128 * 9) * Half; // x, y and w of 64 images
        double transposes = 2 * maps / (Bandwidth * f.MemoryEfficiency) + 3 * f.KernelOverheadSeconds;
        foreach (var pass in new[] { ConvPass.Forward, ConvPass.DataGradient, ConvPass.WeightGradient })
        {
            Assert.Equal(transposes, ConvCost.TransposeSeconds(nchw, 64, f, Bandwidth, Half), 15);
            Assert.Equal(0, ConvCost.TransposeSeconds(ThreeByThree, 64, f, Bandwidth, Half));
            Assert.Equal(ConvCost.Seconds(ThreeByThree, pass, 64, f, Peak, Bandwidth, Half) + transposes, ConvCost.Seconds(nchw, pass, 64, f, Peak, Bandwidth, Half), 15);
        }
    }

    [Fact]
    public void Time_never_falls_as_the_batch_grows()
    {
        var f = HardwarePresets.A100Sxm80.Kernels!;
        foreach (var pass in new[] { ConvPass.Forward, ConvPass.DataGradient, ConvPass.WeightGradient })
        {
            double previous = 0;
            for (int batch = 1; batch <= 300; batch++)
            {
                double t = ConvCost.Seconds(ThreeByThree, pass, batch, f, Peak, Bandwidth, Half);
                Assert.True(t >= previous - 1e-15, $"{pass}: batch {batch} took {t} after {previous}");
                previous = t;
            }
        }
    }
}
