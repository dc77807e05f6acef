using Sim.Models.Workloads;

namespace Sim.Models.Compute;

/// <summary>
/// How long a layer takes on a device for a given micro-batch: the bridge from "how much work" to
/// "how much time". Implementations: a roofline with efficiency factors (analytical), a calibrated
/// model fitted to profiling runs, or measured durations replayed from a trace.
/// </summary>
public interface IComputeModel
{
    /// <summary>Seconds for <paramref name="phase"/> of <paramref name="layer"/> on a micro-batch of <paramref name="batch"/> samples.</summary>
    double LayerTime(Layer layer, Phase phase, int batch);

    /// <summary>
    /// Seconds for one rank's share of the layer when a tensor-parallel group of
    /// <paramref name="tensorParallel"/> GPUs splits it (Megatron-LM). The default divides the whole
    /// layer's time evenly; kernel-level models split each kernel's shape instead, so that shrunken
    /// GEMMs lose efficiency and replicated element-wise work is not divided (unless
    /// <paramref name="sequenceParallel"/> splits it along the sequence).
    /// </summary>
    double ShardedLayerTime(Layer layer, Phase phase, int batch, int tensorParallel, bool sequenceParallel) =>
        LayerTime(layer, phase, batch) / tensorParallel;

    /// <summary>Peak FLOP/s of the device at the training precision, for MFU.</summary>
    double PeakFlops { get; }

    /// <summary>A short description for reports ("roofline H100 bf16, efficiency 0.55").</summary>
    string Describe();
}
