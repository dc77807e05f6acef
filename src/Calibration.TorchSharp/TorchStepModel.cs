using Sim.Calibration.Fitting;
using Sim.Calibration.Traces;

namespace Sim.Calibration.TorchSharp;

/// <summary>
/// A TorchSharp training step of one model as host costs plus kernel time, like a delivery round as a fee per
/// stop plus driving time that grows with the load:
/// step(b) = <see cref="HostSeconds"/> + kernel(b). The host part is the measured <see cref="TorchHostCosts"/>
/// times the step's counted calls (<see cref="TorchStepCounts"/>), the same at every batch size. The kernel
/// part is the rest of the measured step, a line in the batch size (each sample adds the same work to every
/// kernel) fitted to the profiled batch sizes from 2 up. Batch 1 is a regime of its own: LibTorch multiplies a
/// single row by matrix-vector kernels, not the matrix-matrix kernels of larger batches, so batch 1 keeps its
/// own measured kernel time and takes no part in the line.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="HostSeconds">Host costs of one step (the same at every batch size).</param>
/// <param name="KernelFixedSeconds">The kernel line's intercept: kernel time that does not grow with the batch (weights, the SGD update's reads and writes).</param>
/// <param name="KernelSecondsPerSample">The kernel line's slope.</param>
/// <param name="BatchOneKernelSeconds">Measured kernel time at batch 1, when batch 1 was profiled.</param>
public sealed record TorchStepModel(string Model, double HostSeconds, double KernelFixedSeconds, double KernelSecondsPerSample, double? BatchOneKernelSeconds)
{
    /// <summary>Predicted seconds of one training step at <paramref name="batch"/>.</summary>
    public double Seconds(int batch)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch size must be at least 1");
        double kernel = batch == 1 && BatchOneKernelSeconds is { } one ? one : KernelFixedSeconds + KernelSecondsPerSample * batch;
        return HostSeconds + kernel;
    }

    /// <summary>Fits the kernel line of one model's steps, given the host costs and its counted calls. Needs
    /// measurements at two or more batch sizes above 1.</summary>
    public static TorchStepModel Fit(TorchHostCosts costs, TorchStepCounts counts, IEnumerable<ModelStepMeasurement> steps)
    {
        double host = costs.StepSeconds(counts);
        var rows = steps.Where(s => s.Model == counts.Model).ToList();
        var line = AlphaBetaFitter.FitLine(rows.Where(s => s.Batch > 1).Select(s => ((double)s.Batch, s.MedianSeconds - host)).ToList());
        var one = rows.FirstOrDefault(s => s.Batch == 1);
        return new TorchStepModel(counts.Model, host, line.AlphaSeconds, line.BetaSecondsPerByte, one is null ? null : one.MedianSeconds - host);
    }

    /// <summary>Per model: fit on the kept batch sizes (<see cref="HeldOutSplit"/>), predict the held-out ones.</summary>
    public static IReadOnlyList<HeldOutPrediction> HeldOutBatchSizes(TorchHostCosts costs, IReadOnlyList<TorchStepCounts> counts,
        IEnumerable<ModelStepMeasurement> steps)
    {
        var result = new List<HeldOutPrediction>();
        foreach (var group in steps.GroupBy(s => s.Model).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (fit, held) = HeldOutSplit.Interior(group, s => s.Batch);
            if (held.Count == 0) continue;
            var modelCounts = counts.FirstOrDefault(c => c.Model == group.Key)
                ?? throw new ArgumentException($"no counted calls for model '{group.Key}'", nameof(counts));
            var model = Fit(costs, modelCounts, fit);
            result.AddRange(held.Select(s => new HeldOutPrediction(s.Model, s.Batch, model.Seconds(s.Batch), s.MedianSeconds)));
        }
        return result;
    }
}
