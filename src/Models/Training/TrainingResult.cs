using Sim.Core.Statistics;

namespace Sim.Models.Training;

/// <summary>
/// What a simulated training run predicts: the distribution of iteration times, throughput in the units
/// people quote (samples/s, tokens/s, TFLOP/s per GPU, MFU), the job's response time, a breakdown of
/// where time went, utilisation, and for asynchronous strategies the staleness of updates.
/// </summary>
public sealed record TrainingResult
{
    public required string Strategy { get; init; }
    public required int Workers { get; init; }
    /// <summary>Durations of the iterations that counted (lost ones excluded), in completion order.</summary>
    public required IReadOnlyList<double> IterationTimes { get; init; }
    /// <summary>For each counted iteration, the fraction of it the mean GPU spent computing (utilisation
    /// over time); empty where a strategy does not record it.</summary>
    public IReadOnlyList<double> IterationBusyFraction { get; init; } = [];
    public required double SamplesPerIteration { get; init; }
    public required int TokensPerSample { get; init; }
    /// <summary>Model FLOPs (forward + backward) per sample, for TFLOP/s and MFU.</summary>
    public required double FlopsPerSample { get; init; }
    public required double PeakFlopsPerGpu { get; init; }
    /// <summary>Time to finish all iterations, failures included: the job's response time.</summary>
    public required double JobTime { get; init; }
    public required Breakdown Breakdown { get; init; }
    public int Failures { get; init; }
    public int Checkpoints { get; init; }
    /// <summary>Staleness of each applied update (asynchronous strategies), else empty.</summary>
    public IReadOnlyList<int> Staleness { get; init; } = [];
    /// <summary>Mean utilisation of each network link class or named resource, in [0, 1].</summary>
    public IReadOnlyDictionary<string, double> LinkUtilisation { get; init; } = new Dictionary<string, double>();
    public long KernelEvents { get; init; }
    /// <summary>Point-to-point transfers the network backend carried (0 for closed-form costs). Since
    /// a flow backend batches same-instant work into one kernel event, this, not the event count, is
    /// the measure of simulated network work.</summary>
    public long NetworkTransfers { get; init; }
    public ulong Seed { get; init; }

    public int Iterations => IterationTimes.Count;
    public double MeanIterationTime => IterationTimes.Count == 0 ? double.NaN : IterationTimes.Average();
    public double Percentile(double p) { var t = new Tally(); foreach (var x in IterationTimes) t.Add(x); return t.Percentile(p); }
    public double P50 => Percentile(0.5);
    public double P90 => Percentile(0.9);
    public double P99 => Percentile(0.99);

    /// <summary>Samples per second over the useful iterations (steady-state throughput).</summary>
    public double SamplesPerSecond => SamplesPerIteration / MeanIterationTime;
    public double TokensPerSecond => SamplesPerSecond * TokensPerSample;
    /// <summary>Achieved model TFLOP/s per GPU (excludes recomputation, as MFU does).</summary>
    public double TflopsPerGpu => SamplesPerSecond * FlopsPerSample / Workers / 1e12;
    /// <summary>Model FLOPs utilisation (Chowdhery et al., PaLM 2022): achieved model FLOP/s over peak.</summary>
    public double Mfu => TflopsPerGpu * 1e12 / PeakFlopsPerGpu;
    /// <summary>FLOPs the hardware executes per sample, recomputation included; null: the model FLOPs.</summary>
    public double? HardwareFlopsPerSample { get; init; }
    /// <summary>Hardware FLOPs utilisation: like <see cref="Mfu"/> but counting recomputed forwards
    /// (Chowdhery et al. 2022, PaLM, Appendix B). Equal to MFU without recomputation.</summary>
    public double Hfu => Mfu * (HardwareFlopsPerSample ?? FlopsPerSample) / FlopsPerSample;
    /// <summary>Fraction of job time not lost to failures (lost work, restarts) or spent on checkpoints.</summary>
    public double Goodput => 1 - (Breakdown.FailureLoss + Breakdown.Checkpoint) / JobTime;
    /// <summary>Fraction of the job an average GPU spent computing.</summary>
    public double GpuUtilisation => Breakdown.Compute / JobTime;

    /// <summary>Throughput relative to <paramref name="singleGpu"/> scaled perfectly to this many workers.</summary>
    public double ScalingEfficiency(TrainingResult singleGpu) => SamplesPerSecond / (singleGpu.SamplesPerSecond / singleGpu.Workers * Workers);

    public double MeanStaleness => Staleness.Count == 0 ? 0 : Staleness.Average();
}
