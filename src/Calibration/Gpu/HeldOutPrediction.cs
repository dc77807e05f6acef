namespace Sim.Calibration.Gpu;

/// <summary>One held-out prediction: what the kernel model says for a shape it was not fitted on, and what was measured.</summary>
public sealed record HeldOutPrediction(string Name, double PredictedSeconds, double MeasuredSeconds)
{
    /// <summary>(predicted - measured) / measured.</summary>
    public double RelativeError => (PredictedSeconds - MeasuredSeconds) / MeasuredSeconds;
}
