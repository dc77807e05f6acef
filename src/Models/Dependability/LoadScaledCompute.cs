using Sim.Models.Compute;
using Sim.Models.Workloads;

namespace Sim.Models.Dependability;

/// <summary>
/// A worker's compute under coded or replicated computation: each step it processes <c>load</c>
/// partitions of the plain micro-batch, priced as one pass over load x the batch (gradient coding's
/// encoded message sum_j B_ij g_j is the gradient of the per-example-weighted loss over the union of its
/// partitions, so one pass suffices; a replica computes exactly that union). Batch-dependent device
/// efficiency therefore carries over from the inner model.
/// </summary>
public sealed class LoadScaledCompute(IComputeModel inner, int load) : IComputeModel
{
    public double LayerTime(Layer layer, Phase phase, int batch) => inner.LayerTime(layer, phase, checked(batch * load));

    public double PeakFlops => inner.PeakFlops;

    public string Describe() => $"{inner.Describe()}, x{load} coded load";
}
