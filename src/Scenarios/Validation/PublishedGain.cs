namespace Sim.Scenarios.Validation;

/// <summary>
/// A published before/after pair: the same system measured without and with one feature (TP
/// communication overlap, context parallelism), like two weighings on the same scale whose difference
/// matters more than either reading. Validates the feature's effect: the simulated ratio
/// <c>variant / baseline</c> of <see cref="PublishedMeasurement.Metric"/> against the published one, which
/// cancels what both runs share (a power cap, a framework's kernels) and leaves the mechanism.
/// </summary>
public sealed record PublishedGain(string Name, PublishedMeasurement Baseline, PublishedMeasurement Variant)
{
    /// <summary>The published ratio variant / baseline.</summary>
    public double PublishedRatio => Variant.Measured / Baseline.Measured;

    /// <summary>Simulates both sides (<see cref="PublishedValidation.Run"/>) and returns both rows and the simulated ratio.</summary>
    public (ValidationRow Baseline, ValidationRow Variant, double Ratio) Simulate()
    {
        var rows = PublishedValidation.Run([Baseline, Variant]);
        return (rows[0], rows[1], rows[1].Predicted / rows[0].Predicted);
    }
}
