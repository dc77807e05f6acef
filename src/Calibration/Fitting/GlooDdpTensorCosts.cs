using Sim.Models.Training;

namespace Sim.Calibration.Fitting;

/// <summary>
/// The per-tensor DDP terms (<see cref="DdpTensorCosts"/>) a profile's gloo all-reduce link measured (profile v6:
/// <see cref="LinkFit.DdpCpuPerTensor"/>, <see cref="LinkFit.DdpAloneCpuPerTensor"/>, <see cref="LinkFit.DdpAloneBufferSync"/>,
/// <see cref="LinkFit.DdpAloneComputeThreadShare"/>; profile v9: <see cref="LinkFit.DdpAloneCpuPerStep"/>): the one choice `sim validate ddp` and cpu_host_data_parallel scenarios share.
/// A term the profile lacks charges nothing.
/// </summary>
public static class GlooDdpTensorCosts
{
    /// <summary>The terms of <paramref name="gloo"/> (null: none) for a model with <paramref name="bufferTensors"/> buffer tensors.</summary>
    public static DdpTensorCosts From(LinkFit? gloo, int bufferTensors) => gloo is null ? DdpTensorCosts.None : new(
        gloo.DdpCpuPerTensor ?? 0,
        gloo.DdpAloneCpuPerTensor ?? 0,
        gloo.DdpAloneBufferSync?.Seconds(bufferTensors) ?? 0,
        gloo.DdpAloneComputeThreadShare ?? 1,
        gloo.DdpAloneCpuPerStep ?? 0);
}
