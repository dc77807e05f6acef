namespace Sim.Models.Workloads;

/// <summary>
/// The all-to-all traffic of expert parallelism (GShard, Lepikhin et al. 2021; Switch Transformer,
/// Fedus et al. 2022): before the experts, every GPU sends each of its tokens' hidden vectors to the
/// GPUs that hold the top-k chosen experts (dispatch), and after them receives the results back
/// (combine). With experts spread evenly over <c>ep</c> GPUs and routing balanced, a GPU keeps 1/ep of
/// its routed vectors and sends the rest.
/// </summary>
public static class MoeTraffic
{
    /// <summary>
    /// Bytes one GPU sends in one dispatch (or one combine) all-to-all: tokens x top-k x hidden x
    /// bytes per element x (ep - 1) / ep. A training step does 2 per MoE block forward and 2 backward.
    /// </summary>
    public static double AllToAllBytesPerGpu(double tokensPerGpu, int topK, int hidden, int bytesPerElement, int expertParallel)
    {
        if (expertParallel < 1) throw new ArgumentOutOfRangeException(nameof(expertParallel), expertParallel, "must be >= 1");
        return tokensPerGpu * topK * hidden * bytesPerElement * (expertParallel - 1) / expertParallel;
    }

    /// <summary>The routed buffer one GPU hands to the all-to-all (its own share included): tokens x top-k x hidden x bytes.</summary>
    public static double RoutedBufferBytes(double tokensPerGpu, int topK, int hidden, int bytesPerElement) =>
        tokensPerGpu * topK * hidden * bytesPerElement;
}
