using Sim.Models.Collectives;
using Sim.Models.Compute;
using Sim.Models.Workloads;

namespace Sim.Models.Cluster;

/// <summary>
/// What the cluster needs to know about a data-parallel training job to price one iteration on a
/// given placement: the compute time of one iteration on one GPU (forward + backward at the per-GPU
/// batch) and the gradient bytes each iteration all-reduces. An iteration on p GPUs whose ring's
/// slowest hop gets bandwidth B takes
/// <c>compute + RingAllReduce(p, bytes, alpha, 1/B)</c> (<see cref="CollectiveCosts.RingAllReduce"/>),
/// with no overlap of communication and compute: the conservative end of DDP, where the whole
/// all-reduce sits on the critical path (the overlapped case is bounded below by max(compute, comm)).
/// </summary>
/// <param name="Name">For reports, e.g. "resnet50 b32 on A100".</param>
/// <param name="ComputeSeconds">One iteration's compute on one GPU, &gt; 0.</param>
/// <param name="GradientBytes">Bytes all-reduced per iteration (parameters x bytes per gradient), &gt;= 0.</param>
/// <param name="StepLatency">Alpha of one ring step (seconds), &gt;= 0.</param>
/// <param name="Spark">Non-null: the job is hosted on Spark (BigDL style): two barrier stages per
/// iteration with scheduling overheads, gradients reduced through the block manager instead of a ring.</param>
public sealed record TrainingProfile(string Name, double ComputeSeconds, double GradientBytes, double StepLatency, SparkStageCosts? Spark = null)
{
    /// <summary>Seconds per iteration on <paramref name="gpus"/> GPUs whose ring's slowest hop gets
    /// <paramref name="ringBandwidth"/> bytes/s (ignored for one GPU).</summary>
    public double IterationSeconds(int gpus, double ringBandwidth) => IterationSeconds(gpus, ringBandwidth, 1);

    /// <summary>The same on GPUs <paramref name="typeSpeed"/> times as fast as the profile's device
    /// (compute scales, communication does not).</summary>
    public double IterationSeconds(int gpus, double ringBandwidth, double typeSpeed)
    {
        double compute = ComputeSeconds / typeSpeed;
        if (Spark is { } spark)
            return compute + spark.OverheadSeconds(gpus) + (GradientBytes > 0 ? SparkStageCosts.ReduceSeconds(gpus, GradientBytes, ringBandwidth, StepLatency) : 0);
        if (gpus <= 1 || GradientBytes <= 0) return compute;
        return compute + CollectiveCosts.RingAllReduce(gpus, GradientBytes, StepLatency, 1 / ringBandwidth);
    }

    /// <summary>Share of an iteration spent communicating at bandwidth <paramref name="ringBandwidth"/>.</summary>
    public double CommunicationFraction(int gpus, double ringBandwidth)
    {
        double t = IterationSeconds(gpus, ringBandwidth);
        return t <= 0 ? 0 : (t - ComputeSeconds) / t;
    }

    /// <summary>
    /// The profile of <paramref name="model"/> at <paramref name="batchPerGpu"/> samples per GPU on a
    /// device priced by <paramref name="compute"/> (sum of forward and backward layer times, the
    /// same per-layer costs the detailed DDP model uses), with fp32 gradients of
    /// <paramref name="bytesPerGradient"/> bytes per parameter (4 for fp32, 2 for bf16 all-reduce).
    /// </summary>
    public static TrainingProfile FromModel(ModelSpec model, IComputeModel compute, int batchPerGpu, double bytesPerGradient, double stepLatency, SparkStageCosts? spark = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(compute);
        if (batchPerGpu < 1) throw new ArgumentOutOfRangeException(nameof(batchPerGpu), batchPerGpu, "must be >= 1");
        double seconds = 0;
        foreach (var layer in model.Layers)
            seconds += compute.LayerTime(layer, Phase.Forward, batchPerGpu) + compute.LayerTime(layer, Phase.Backward, batchPerGpu);
        return new TrainingProfile($"{model.Name} b{batchPerGpu}{(spark is null ? "" : " on spark")}", seconds, model.Parameters * bytesPerGradient, stepLatency, spark);
    }
}
