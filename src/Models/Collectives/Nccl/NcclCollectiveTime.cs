namespace Sim.Models.Collectives.Nccl;

/// <summary>
/// The time of a collective as NCCL runs it: the algorithm and protocol its tuner picks
/// (<see cref="NcclTuningModel.Choose"/>), timed by the tuner's latency + bytes / bandwidth plus what the
/// tuner's model leaves out and the kernels do: the fill of the NVLS and NVLS-tree chunk pipelines
/// (<see cref="NvlsPipeline"/>), and the NVLink bandwidth the GPU achieves where it falls short of what NCCL
/// counts (<see cref="NcclSystem.AchievedIntraGBps"/>: Ampere, 230 of 240 GB/s). The tuner's choice is kept even where the fill would change the
/// ranking: NCCL picks by its own model, not by the time it then takes. The one NCCL time of the simulator:
/// <c>sim collective --algo nccl</c> and <c>--compare</c> print it, training pipelines time their
/// tensor-parallel collectives with it (src/Models/Training/Pipeline/StagePlan.cs) and the published
/// suite's nccl-tests rows compare it (src/Scenarios/Validation/ValidationReport.cs).
/// </summary>
public static class NcclCollectiveTime
{
    /// <summary>Algorithm, protocol and seconds of <paramref name="kind"/> over <paramref name="bytes"/> (nccl-tests' size).</summary>
    public static (NcclAlgorithm Algorithm, NcclProtocol Protocol, double Seconds) Predict(CollectiveKind kind, NcclSystem sys, double bytes)
    {
        var (algorithm, protocol, seconds) = NcclTuningModel.Choose(kind, sys, bytes);
        // The tuner ranks by the links as NCCL counts them; the chosen kernel runs at what the GPU achieves.
        var achieved = sys.AchievedIntraGBps == sys.IntraGBps ? sys : sys with { IntraGBps = sys.AchievedIntraGBps };
        if (!ReferenceEquals(achieved, sys)) seconds = NcclTuningModel.Seconds(kind, algorithm, protocol, achieved, bytes);
        return (algorithm, protocol, seconds + NvlsPipeline.FillSeconds(kind, algorithm, achieved, bytes));
    }
}
