namespace Sim.Calibration.Fitting;

/// <summary>
/// A fitted step-time curve for one model over batch size, like a fuel-consumption chart for one
/// car over load: the training FLOPs grow linearly with the batch, and the achieved FLOP/s follow
/// a <see cref="SaturatingEfficiencyCurve"/> of that work (small batches leave the cores idle).
/// </summary>
public sealed record ModelStepFit(
    string Model,
    double TrainFlopsPerSample,
    SaturatingEfficiencyCurve Curve,
    int Points,
    double MedianRelativeError)
{
    /// <summary>Predicted seconds of one training step (forward, backward, optimizer) at a batch size.</summary>
    public double Seconds(int batch)
    {
        if (batch < 1) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch size must be at least 1");
        return Curve.Seconds(batch * TrainFlopsPerSample);
    }
}
