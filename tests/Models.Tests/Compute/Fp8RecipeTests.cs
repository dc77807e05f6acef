using Sim.Models.Compute;
using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Tests.Compute;

/// <summary>
/// FP8 training as Transformer Engine runs it: FP8 GEMM time hits its closed form at the FP8 peak with
/// tile and wave quantization, casts cost their bytes at streaming bandwidth, only the block's linear
/// GEMMs change, and the MFU denominator stays the BF16 peak.
/// </summary>
public sealed class Fp8RecipeTests
{
    private static readonly DeviceSpec H100 = HardwarePresets.H100Sxm;
    private const double Fp8Peak = 1979e12, Bf16Peak = 989.5e12, Sms = 132, Fp8Efficiency = 1402.6 / 1979; // datasheet, white paper, MAMF table
    private static double Overhead => H100.Kernels!.KernelOverheadSeconds;
    /// <summary>FP8 GEMMs run at the sustained clock like BF16 ones (702.9 / 828.0, the preset's measured fraction).</summary>
    private static double Clock => H100.Kernels!.SustainedClockFraction;
    private static double StreamBandwidth => 3350e9 * 0.90;

    /// <summary>The closed form: for each tile shape r x c, waves = ceil(ceil(m/r) ceil(n/c) / 132), each
    /// wave 2 r c k FLOPs on one SM at (FP8 peak / 132) x the FP8 MAMF fraction x the sustained clock
    /// fraction; the fastest tile wins.</summary>
    private static double Fp8GemmClosedForm(double m, double n, double k, params (int R, int C)[] tiles)
    {
        if (tiles.Length == 0) tiles = [(256, 128), (128, 256), (128, 128)];
        return tiles.Min(t => Math.Ceiling(Math.Ceiling(m / t.R) * Math.Ceiling(n / t.C) / Sms) * 2 * t.R * t.C * k) / (Fp8Peak / Sms * Fp8Efficiency * Clock) + Overhead;
    }

    /// <summary>H100 with only the 256x128 tile, so wave steps are not smoothed by a smaller tile.</summary>
    private static readonly DeviceSpec OneTileH100 = H100 with { Kernels = H100.Kernels! with { GemmTiles = [(256, 128)] } };

    [Theory]
    [InlineData(8192, 8192, 8192)]      // 2048 tiles: 15.5 -> 16 waves
    [InlineData(256 * 12, 128 * 11, 4096)] // exactly 132 tiles: one full wave
    [InlineData(4096, 28672, 8192)]     // Llama-3 70B FC1 on one GPU (2 x 14336, gated)
    public void Fp8_gemm_time_is_the_closed_form_at_the_fp8_peak(double m, double n, double k)
    {
        var recipe = Fp8Recipe.Delayed;
        double forward = recipe.LinearSeconds(m, n, k, 1, backward: false, H100) - recipe.CastSeconds(m * k, H100);
        Assert.Equal(Fp8GemmClosedForm(m, n, k), forward, 12);
    }

    [Fact]
    public void One_tile_past_a_full_wave_costs_a_whole_wave_more()
    {
        // 132 tiles of 256x128 fill the 132 SMs once; one more row of tiles starts a second wave.
        var d = OneTileH100;
        double full = Fp8Recipe.Delayed.LinearSeconds(256 * 12, 128 * 11, 4096, 1, false, d) - Fp8Recipe.Delayed.CastSeconds(256 * 12 * 4096, d);
        double oneMore = Fp8Recipe.Delayed.LinearSeconds(256 * 12 + 1, 128 * 11, 4096, 1, false, d) - Fp8Recipe.Delayed.CastSeconds((256 * 12 + 1) * 4096.0, d);
        Assert.Equal(Fp8GemmClosedForm(256 * 12, 128 * 11, 4096, (256, 128)), full, 12);
        Assert.Equal(2 * (full - Overhead), oneMore - Overhead, 12);
    }

    [Fact]
    public void Backward_is_dgrad_plus_wgrad_in_fp8_plus_the_output_gradient_cast()
    {
        double m = 8192, n = 3 * 8192, k = 8192;
        double expected = Fp8GemmClosedForm(m, k, n) + Fp8GemmClosedForm(k, n, m) + m * n * Fp8Recipe.CastBytesPerElement / StreamBandwidth + Overhead;
        Assert.Equal(expected, Fp8Recipe.Delayed.LinearSeconds(m, n, k, 1, backward: true, H100), 12);
    }

    [Fact]
    public void A_cast_moves_four_bytes_per_element_and_tensorwise_scaling_adds_an_amax_pass()
    {
        double e = 1e8;
        Assert.Equal(4 * e / StreamBandwidth + Overhead, Fp8Recipe.Delayed.CastSeconds(e, H100), 15);
        var tensorwise = new Fp8Recipe { Scaling = Fp8Scaling.Tensorwise };
        Assert.Equal(6 * e / StreamBandwidth + 2 * Overhead, tensorwise.CastSeconds(e, H100), 15);
        Assert.Equal(0, Fp8Recipe.Delayed.CastSeconds(0, H100));
    }

    [Fact]
    public void Only_the_linear_gemms_change_and_a_large_block_speeds_up_by_less_than_the_peak_ratio()
    {
        var config = ModelZoo.GptConfig(4, 8192, 64, 4096, 128256, bytesPerElement: 2, tiedEmbeddings: false);
        var block = Transformer.Gpt(config).Layers[1];
        var bf16 = new KernelCompute(H100, Precision.Bf16);
        var fp8 = new KernelCompute(H100, Precision.Fp8);
        foreach (var phase in new[] { Phase.Forward, Phase.Backward })
        {
            double speedup = bf16.LayerTime(block, phase, 1) / fp8.LayerTime(block, phase, 1);
            Assert.InRange(speedup, 1.05, 2.0 * Fp8Efficiency / (794.5 / 989)); // below the ratio of achievable GEMM rates
        }
        // A layer with no FP8 GEMM (the logits layer: output layer stays BF16) costs the same.
        var head = Transformer.Gpt(config).Layers[^1];
        Assert.Equal(bf16.LayerTime(head, Phase.Forward, 1), fp8.LayerTime(head, Phase.Forward, 1), 15);
        // Tensorwise scaling is slower than delayed (one more pass per cast), never faster.
        var tensorwise = new KernelCompute(H100, Precision.Fp8, new Fp8Recipe { Scaling = Fp8Scaling.Tensorwise });
        Assert.True(tensorwise.LayerTime(block, Phase.Forward, 1) > fp8.LayerTime(block, Phase.Forward, 1));
    }

    [Fact]
    public void Mfu_of_an_fp8_run_is_against_the_bf16_peak()
    {
        Assert.Equal(Bf16Peak, new KernelCompute(H100, Precision.Fp8).PeakFlops);
        Assert.Contains("fp8 delayed", new KernelCompute(H100, Precision.Fp8).Describe());
    }

    [Fact]
    public void Devices_without_fp8_tensor_cores_or_an_fp8_measurement_are_refused()
    {
        var e = Assert.Throws<SpecError>(() => new KernelCompute(HardwarePresets.A100Sxm80, Precision.Fp8));
        Assert.Contains("fp8", e.Message, StringComparison.OrdinalIgnoreCase);
        var unmeasured = H100 with { Kernels = H100.Kernels! with { Fp8GemmEfficiency = null } };
        e = Assert.Throws<SpecError>(() => new KernelCompute(unmeasured, Precision.Fp8));
        Assert.Contains("fp8_gemm_efficiency", e.Message);
        Assert.Throws<ArgumentException>(() => new KernelCompute(H100, Precision.Bf16, Fp8Recipe.Delayed));
    }
}
