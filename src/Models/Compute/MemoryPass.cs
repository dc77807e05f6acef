using Sim.Models.Workloads;

namespace Sim.Models.Compute;

/// <summary>
/// Time of memory-bound work outside the model's layers (optimizer updates, gradient copies and casts, framework
/// passes over the parameters), as the compute model prices an element-wise layer: the bytes streamed by
/// the first kernel at the device's achieved bandwidth, and each further kernel of the pass as an empty launch (its
/// bytes are already counted), so a pass issued tensor by tensor pays one launch per tensor.
/// </summary>
public static class MemoryPass
{
    /// <summary>Seconds of <paramref name="kernels"/> kernels moving <paramref name="bytes"/> in all (0 kernels: nothing);
    /// <paramref name="flops"/> are the pass's operations, which bound it only where they exceed its bytes' time.</summary>
    public static double Seconds(IComputeModel compute, string name, double bytes, double flops = 0, int kernels = 1)
    {
        ArgumentNullException.ThrowIfNull(compute);
        ArgumentOutOfRangeException.ThrowIfNegative(kernels);
        if (kernels == 0) return 0;
        var pass = new Layer
        {
            Name = name, Kind = "elementwise",
            ForwardFlops = flops, BackwardFlops = 0, ForwardBytes = bytes, Parameters = 0, OutputActivationBytes = 0,
        };
        double seconds = compute.LayerTime(pass, Phase.Forward, 1);
        // Each further kernel is a launch of its own; computed once, the launches are all alike.
        return kernels == 1 ? seconds
            : seconds + (kernels - 1) * compute.LayerTime(pass with { Name = name + " launch", ForwardBytes = 0, ForwardFlops = 0 }, Phase.Forward, 1);
    }
}
