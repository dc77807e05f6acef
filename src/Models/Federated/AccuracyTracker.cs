namespace Sim.Models.Federated;

/// <summary>
/// A finish-line judge: watches model versions being produced and notes the simulated time at which
/// the learning curve says the target accuracy is reached.
/// </summary>
internal sealed class AccuracyTracker
{
    private readonly AccuracyCurve? _curve;
    private readonly double _start;

    public AccuracyTracker(FederatedConfig config)
    {
        _start = config.StartTimeSeconds;
        if (config.AccuracyCurve != null) _curve = new AccuracyCurve(config.AccuracyCurve);
        if (_curve != null && config.TargetAccuracy is double target) ProgressToTarget = _curve.ProgressToReach(target);
    }

    public long? ProgressToTarget { get; }
    public double? TimeToTarget { get; private set; }
    public double FinalAccuracy { get; private set; } = double.NaN;

    /// <summary>Called when model version <paramref name="versions"/> exists at time <paramref name="now"/>.</summary>
    public void Observe(long versions, double now)
    {
        if (_curve == null) return;
        FinalAccuracy = _curve.AccuracyAt(versions);
        if (TimeToTarget == null && ProgressToTarget is long needed && versions >= needed) TimeToTarget = now - _start;
    }

    /// <summary>For a target reached before any training (the curve starts above it).</summary>
    public void Begin()
    {
        Observe(0, _start);
    }
}
