using Sim.Models.Workloads;

namespace Sim.Models.Training;

/// <summary>
/// Co-run compute factors per kind of layer: co-located ranks slow each other's compute by different amounts
/// depending on what the compute is (measured separately for Linear stacks and for convolution stacks, since
/// convolutions' larger working sets suffer more from a second busy process on shared caches and memory).
/// </summary>
public static class CoRunComputeFactors
{
    /// <summary>Each layer's factor: <paramref name="conv"/> for "conv" layers, <paramref name="other"/> for the rest.</summary>
    public static double[] PerLayer(IReadOnlyList<Layer> layers, double other, double conv) =>
        layers.Select(l => l.Kind == "conv" ? conv : other).ToArray();
}
