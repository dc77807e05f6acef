using Sim.Calibration.Traces;

namespace Sim.Calibration.Fitting;

/// <summary>
/// Measures how well the fitted compute model predicts sizes it never saw, like checking a
/// weather forecast against days that were not used to build it: fit on part of a sweep
/// (<see cref="HeldOutSplit"/>), predict the held-out points, report relative errors.
/// </summary>
public sealed record HeldOutPrediction(string Name, double Size, double PredictedSeconds, double MeasuredSeconds)
{
    public double RelativeError => FitError.Relative(PredictedSeconds, MeasuredSeconds);
}

public static class HeldOutEvaluation
{
    /// <summary>Per operation: fit on the kept sizes, predict the held-out sizes with the table
    /// and curve (as the simulator does) or, with <paramref name="curveOnly"/>, the curve alone.</summary>
    public static IReadOnlyList<HeldOutPrediction> OperationSizes(IEnumerable<OpMeasurement> ops, bool curveOnly = false)
    {
        var result = new List<HeldOutPrediction>();
        foreach (var group in ops.GroupBy(o => o.Op).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (fit, held) = HeldOutSplit.Interior(group, o => o.WorkAmount);
            if (held.Count == 0) continue;
            var model = CalibrationFitter.FitOperation(group.Key, fit);
            result.AddRange(held.Select(o => new HeldOutPrediction(o.Op, o.WorkAmount,
                curveOnly ? model.Curve.Seconds(o.WorkAmount) : model.Seconds(o.WorkAmount), o.MedianSeconds)));
        }
        return result;
    }

    /// <summary>Per model: fit its step curve on the kept batch sizes, predict the held-out batch sizes.</summary>
    public static IReadOnlyList<HeldOutPrediction> BatchSizes(IEnumerable<ModelStepMeasurement> steps)
    {
        var result = new List<HeldOutPrediction>();
        foreach (var group in steps.GroupBy(s => s.Model).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var (fit, held) = HeldOutSplit.Interior(group, s => s.Batch);
            if (held.Count == 0) continue;
            var model = CalibrationFitter.FitModel(group.Key, fit);
            result.AddRange(held.Select(s => new HeldOutPrediction(s.Model, s.Batch, model.Seconds(s.Batch), s.MedianSeconds)));
        }
        return result;
    }
}
