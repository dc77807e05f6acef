using Sim.Calibration.Fitting;
using Sim.Calibration.Traces;

namespace Sim.Calibration.TorchSharp;

/// <summary>
/// A TorchSharp training step of one model as host costs plus kernel time, like a delivery round as a fee per
/// stop plus driving time that grows with the load:
/// step(b) = <see cref="HostSeconds"/> + kernel(b). The host part is the measured <see cref="TorchHostCosts"/>
/// times the step's counted calls (<see cref="TorchStepCounts"/>), the same at every batch size. The kernel
/// part is the rest of each measured step, linear in the batch size between the profiled sizes (each sample adds
/// the same kernels' work; the time per sample changes with the size, as activations move between cache levels and
/// the BLAS picks other blockings, so the slope is taken between the neighbouring sizes, 1.5x apart, not over the
/// whole range). Beyond the profiled sizes, the kernel time follows the slope of a robust line over all of them
/// (<see cref="AlphaBetaFitter.FitLine"/>) from the nearest end. Batch 1 is a regime of its own: a single sample
/// takes other code paths in LibTorch and its BLAS (a one-row matrix product is a matrix-vector product; the CNN's
/// step more than doubles from batch 1 to 2, far more than the time per sample explains), so batch 1 keeps its own
/// measured kernel time and takes no part in the rest.
/// </summary>
/// <param name="Model">The model's name.</param>
/// <param name="HostSeconds">Host costs of one step (the same at every batch size).</param>
/// <param name="KernelPoints">Kernel time (measured step minus host) at each profiled batch size above 1, by size.</param>
/// <param name="KernelSecondsPerSample">The robust line's slope over those points, for sizes beyond them.</param>
/// <param name="BatchOneKernelSeconds">Measured kernel time at batch 1, when batch 1 was profiled.</param>
public sealed record TorchStepModel(string Model, double HostSeconds, IReadOnlyList<(int Batch, double Seconds)> KernelPoints,
    double KernelSecondsPerSample, double? BatchOneKernelSeconds)
{
    /// <summary>Predicted seconds of one training step at <paramref name="batch"/>.</summary>
    public double Seconds(int batch)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch size must be at least 1");
        return HostSeconds + (batch == 1 && BatchOneKernelSeconds is { } one ? one : KernelSeconds(batch));
    }

    private double KernelSeconds(int batch)
    {
        var (first, last) = (KernelPoints[0], KernelPoints[^1]);
        if (batch <= first.Batch) return Math.Max(first.Seconds - KernelSecondsPerSample * (first.Batch - batch), 0);
        if (batch >= last.Batch) return last.Seconds + KernelSecondsPerSample * (batch - last.Batch);
        int i = 1;
        while (KernelPoints[i].Batch < batch) i++;
        var (a, b) = (KernelPoints[i - 1], KernelPoints[i]);
        return a.Seconds + (b.Seconds - a.Seconds) * (batch - a.Batch) / (b.Batch - a.Batch);
    }

    /// <summary>Fits one model's kernel time, given the host costs and its counted calls. Needs measurements at
    /// two or more batch sizes above 1.</summary>
    public static TorchStepModel Fit(TorchHostCosts costs, TorchStepCounts counts, IEnumerable<ModelStepMeasurement> steps)
    {
        double host = costs.StepSeconds(counts);
        var rows = steps.Where(s => s.Model == counts.Model).ToList();
        var points = rows.Where(s => s.Batch > 1).OrderBy(s => s.Batch).Select(s => (s.Batch, s.MedianSeconds - host)).ToList();
        if (points.Select(p => p.Batch).Distinct().Count() < 2)
            throw new ArgumentException($"model '{counts.Model}': the step model needs steps at two or more batch sizes above 1", nameof(steps));
        var line = AlphaBetaFitter.FitLine(points.Select(p => ((double)p.Batch, p.Item2)).ToList());
        var one = rows.FirstOrDefault(s => s.Batch == 1);
        return new TorchStepModel(counts.Model, host, points, line.BetaSecondsPerByte, one is null ? null : one.MedianSeconds - host);
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
