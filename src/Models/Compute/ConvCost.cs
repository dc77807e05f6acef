using Sim.Models.Hardware;
using Sim.Models.Workloads;

namespace Sim.Models.Compute;

/// <summary>The three convolution kernels of a training step: forward, data (input) gradient, weight gradient.</summary>
public enum ConvPass { Forward, DataGradient, WeightGradient }

/// <summary>The GEMM a convolution pass is computed as: an M x N output reduced over K.</summary>
public readonly record struct ImplicitGemm(double M, double N, double K)
{
    public double Flops => 2 * M * N * K;
}

/// <summary>
/// Time of a convolution pass as cuDNN and CUTLASS run it on tensor cores: as an implicit GEMM (the
/// im2col matrix is never written; each thread block gathers its operand tiles straight from the NHWC
/// tensors), costed by <see cref="GemmCost.ComputeSeconds"/> (output tiles in waves over the SMs at the
/// best-shape GEMM rate) and bounded below by the tensors the pass really moves through HBM. The shapes
/// are CUTLASS's (include/cutlass/conv/conv2d_problem_size.h, implicit_gemm_problem_size; the forward
/// mapping is derived in media/docs/implicit_gemm_convolution.md, "Mapping Convolution to GEMM"):
/// forward M = N P Q, N = K, K = C R S; data gradient M = N H W, N = C, K = K R S; weight gradient
/// M = K, N = C R S, K = N P Q. A strided data gradient skips the zeros a stride inserts (CUTLASS's
/// strided dgrad), so its reduction is K R S / (stride_h stride_w) deep and its FLOPs equal the forward's.
/// <para>
/// The weight gradient has few output tiles (K x C R S, e.g. 64 x 576 is 5 tiles of 128 x 128 for
/// 108 SMs) and a huge reduction, so the libraries split the reduction over thread blocks (split-K):
/// s slices fill s times the waves, and a reduction kernel sums s FP32 partial outputs (cuDNN's weight-gradient
/// kernels are the split-K ones, "..._splitK_..." in profiles of Conv2DBackpropFilter; forward and data-gradient
/// passes have enough output tiles and run unsplit). Like any kernel choice here the fastest split is taken
/// (cuDNN's autotuner, <c>cudnn.benchmark = True</c> in the frameworks' ResNet recipes, times the candidates
/// and keeps the fastest).
/// </para>
/// <para>
/// Input channels are padded to the tensor-core granularity, 8 for 16-bit and 4 for TF32 data
/// (Convolutional Layers User's Guide, "Channels In And Out"): the 3-channel image becomes 8 or 4.
/// Tensor cores run at the precision's own peak (TF32: 156 TFLOP/s on A100, half the FP16 rate).
/// </para>
/// <para>
/// On NCHW maps (<see cref="ConvKernel.ChannelsFirst"/>) each pass first transposes its two operands to the
/// NHWC and KRSC layouts the kernels read and afterwards its result back: three transpose kernels, each
/// reading and writing its tensor once, <see cref="TransposeSeconds"/>.
/// </para>
/// </summary>
public static class ConvCost
{
    /// <summary>Bytes of one split-K partial sum (the libraries accumulate partials in FP32).</summary>
    public const double PartialSumBytes = 4;

    /// <summary>The most reduction slices considered; beyond 64 no ResNet-scale shape gains.</summary>
    public const int MaxSplitK = 64;

    /// <summary>The GEMM that <paramref name="pass"/> of <paramref name="conv"/> runs for <paramref name="batch"/> samples.</summary>
    public static ImplicitGemm Shape(ConvKernel conv, ConvPass pass, int batch, double bytesPerElement)
    {
        double c = PaddedChannels(conv.InChannels, bytesPerElement);
        double taps = (double)conv.KernelHeight * conv.KernelWidth;
        return pass switch
        {
            ConvPass.Forward => new(batch * (double)conv.OutHeight * conv.OutWidth, conv.OutChannels, c * taps),
            ConvPass.DataGradient => new(batch * (double)conv.InHeight * conv.InWidth, c, conv.OutChannels * taps / ((double)conv.StrideHeight * conv.StrideWidth)),
            ConvPass.WeightGradient => new(conv.OutChannels, c * taps, batch * (double)conv.OutHeight * conv.OutWidth),
            _ => throw new ArgumentOutOfRangeException(nameof(pass)),
        };
    }

    /// <summary>Input channels as the tensor-core kernels see them: a multiple of 8 (16-bit data) or 4 (TF32).</summary>
    public static double PaddedChannels(int channels, double bytesPerElement)
    {
        int granularity = bytesPerElement >= 4 ? 4 : 8;
        return Math.Ceiling((double)channels / granularity) * granularity;
    }

    /// <summary>
    /// HBM bytes any pass moves at least once: forward reads x and w and writes y; the data gradient reads
    /// dy and w and writes dx; the weight gradient reads x and dy and writes dw: the same three sizes.
    /// </summary>
    public static double TensorBytes(ConvKernel conv, int batch, double bytesPerElement)
    {
        double x = batch * (double)conv.InChannels * conv.InHeight * conv.InWidth;
        double y = batch * (double)conv.OutChannels * conv.OutHeight * conv.OutWidth;
        double w = (double)conv.OutChannels * conv.InChannels * conv.KernelHeight * conv.KernelWidth;
        return (x + y + w) * bytesPerElement;
    }

    /// <summary>
    /// The layout transposes of one pass on NCHW maps: input, filter and output each read and written once
    /// at streaming bandwidth, plus three kernel overheads; 0 on NHWC maps.
    /// </summary>
    public static double TransposeSeconds(ConvKernel conv, int batch, GpuKernelFacts facts, double memoryBandwidth, double bytesPerElement) =>
        conv.ChannelsFirst ? 2 * TensorBytes(conv, batch, bytesPerElement) / (memoryBandwidth * facts.MemoryEfficiency) + 3 * facts.KernelOverheadSeconds : 0;

    /// <summary>
    /// Seconds for <paramref name="pass"/>: max(tile waves, tensor traffic) plus one kernel overhead; for the
    /// weight gradient the fastest split-K s (1, 2, 4, ... <see cref="MaxSplitK"/>) of s slices of depth K / s
    /// sharing the waves, plus for s > 1 a reduction kernel reading s FP32 partial outputs and writing the result;
    /// on NCHW maps plus the layout transposes.
    /// </summary>
    public static double Seconds(ConvKernel conv, ConvPass pass, int batch, GpuKernelFacts facts, double peakFlops, double memoryBandwidth, double bytesPerElement)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "must be >= 1");
        var g = Shape(conv, pass, batch, bytesPerElement);
        double stream = memoryBandwidth * facts.MemoryEfficiency;
        double traffic = TensorBytes(conv, batch, bytesPerElement) / stream;
        double best = double.PositiveInfinity;
        int maxSplit = pass == ConvPass.WeightGradient ? MaxSplitK : 1;
        for (int s = 1; s <= maxSplit && s <= g.K; s *= 2)
        {
            double main = Math.Max(GemmCost.ComputeSeconds(g.M, g.N, g.K / s, facts, peakFlops, count: s), traffic) + facts.KernelOverheadSeconds;
            double reduce = s == 1 ? 0 : (s * PartialSumBytes + bytesPerElement) * g.M * g.N / stream + facts.KernelOverheadSeconds;
            best = Math.Min(best, main + reduce);
        }
        return best + TransposeSeconds(conv, batch, facts, memoryBandwidth, bytesPerElement);
    }
}
