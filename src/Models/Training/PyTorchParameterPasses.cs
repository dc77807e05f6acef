using Sim.Models.Compute;
using Sim.Models.Workloads;

namespace Sim.Models.Training;

/// <summary>
/// The passes PyTorch's eager training step makes over the parameters besides the layers' own kernels, one small
/// memory-bound kernel per parameter tensor each, like the paperwork that follows every delivery: each form is short,
/// but there is one per parcel.
/// <list type="bullet">
/// <item>AccumulateGrad: each new gradient is added into the tensor's <c>.grad</c>, which <c>zero_grad(set_to_none=False)</c>
/// (the default before PyTorch 2.0) keeps allocated: read both, write one, 12 FP32 bytes per parameter.</item>
/// <item>DDP on more than one worker, with <c>gradient_as_bucket_view=False</c> (its default): the reducer copies each
/// gradient into its bucket when it is ready (scaled by 1 / world size on the way) and, after the all-reduce, copies the
/// bucket back into the gradient: two copies of 8 bytes per parameter (torch/csrc/distributed/c10d/reducer.cpp,
/// mark_variable_ready_dense and copy_bucket_to_grad).</item>
/// <item>Autocast (16-bit compute over FP32 parameters): each convolution and linear layer's parameters are cast to
/// FP16 once per forward (autocast caches the cast of a leaf tensor within its region) and their FP16 gradients are
/// cast back through the cast's backward: 6 bytes per parameter each way.</item>
/// </list>
/// Each kernel costs the compute model's empty-kernel time plus its bytes at streaming bandwidth; the passes are
/// charged to the iteration as a whole (they sit in forward, in backward and after the last all-reduce).
/// </summary>
public static class PyTorchParameterPasses
{
    /// <summary>FP32 bytes per parameter of AccumulateGrad's in-place add.</summary>
    public const double AccumulateBytesPerParameter = 12;
    /// <summary>FP32 bytes per parameter of DDP's two copies (into the bucket, back into the gradient).</summary>
    public const double DdpCopyBytesPerParameter = 16;
    /// <summary>Bytes per parameter of autocast's two casts (FP32 to FP16 forward, FP16 to FP32 backward).</summary>
    public const double AutocastBytesPerParameter = 12;

    /// <summary>Kernels of one iteration: accumulate per tensor, 2 per tensor under DDP, 2 per cast tensor under autocast.</summary>
    public static int Kernels(ModelSpec model, bool ddp, bool autocast)
    {
        int tensors = 0, cast = 0;
        foreach (var layer in model.Layers)
        {
            int t = layer.ParameterTensorCount;
            tensors += t;
            if (IsCast(layer)) cast += t;
        }
        return tensors * (ddp ? 3 : 1) + (autocast ? 2 * cast : 0);
    }

    /// <summary>Bytes of one iteration's passes.</summary>
    public static double Bytes(ModelSpec model, bool ddp, bool autocast)
    {
        double bytes = 0;
        foreach (var layer in model.Layers)
            bytes += layer.Parameters * (AccumulateBytesPerParameter + (ddp ? DdpCopyBytesPerParameter : 0) + (autocast && IsCast(layer) ? AutocastBytesPerParameter : 0));
        return bytes;
    }

    /// <summary>Seconds one iteration's passes take on <paramref name="compute"/>: the bytes as one memory-bound pass plus
    /// one empty-kernel time for every further kernel.</summary>
    public static double Seconds(IComputeModel compute, ModelSpec model, bool ddp, bool autocast)
    {
        return MemoryPass.Seconds(compute, "parameter passes", Bytes(model, ddp, autocast), kernels: Kernels(model, ddp, autocast));
    }

    /// <summary>Layers whose parameters autocast casts: convolutions and linear layers (weights, and a linear layer's bias).</summary>
    private static bool IsCast(Layer layer) => layer.Kernels?.Any(k => k is ConvKernel or GemmKernel) == true;
}
