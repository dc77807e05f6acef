namespace Sim.Models.Workloads;

/// <summary>
/// A 2-D convolution of one sample's <paramref name="InChannels"/> x <paramref name="InHeight"/> x
/// <paramref name="InWidth"/> map by <paramref name="OutChannels"/> filters of
/// <paramref name="KernelHeight"/> x <paramref name="KernelWidth"/> at the given stride, giving an
/// <paramref name="OutHeight"/> x <paramref name="OutWidth"/> map (padding is already in the output
/// size). Described by shape so that a kernel-level compute model can cost it as the implicit GEMMs
/// cuDNN runs for its forward, data-gradient and weight-gradient passes (<c>Sim.Models.Compute.ConvCost</c>),
/// instead of dividing its FLOPs by one efficiency. <paramref name="InputGradient"/> is false for a convolution
/// of the network's input image: autograd computes no gradient for a tensor that does not require one, so its
/// backward runs the weight gradient alone. <paramref name="ChannelsFirst"/>: the framework keeps its maps NCHW
/// (PyTorch's default memory format) while the tensor-core kernels work in NHWC, so each pass transposes its
/// operands in and its result out (<see cref="CnnMemoryFormat"/>).
/// </summary>
public sealed record ConvKernel(string Name, int InChannels, int OutChannels, int KernelHeight, int KernelWidth,
    int StrideHeight, int StrideWidth, int InHeight, int InWidth, int OutHeight, int OutWidth, bool InputGradient = true, bool ChannelsFirst = false) : KernelOp(Name)
{

    /// <summary>Multiply-add FLOPs of the forward pass per sample: 2 R S C K P Q (the weight and data gradients do as many each).</summary>
    public double ForwardFlops => 2.0 * KernelHeight * KernelWidth * InChannels * OutChannels * OutHeight * OutWidth;
}
