namespace Sim.Scenarios.Validation;

/// <summary>
/// A published scaling curve: one metric measured at several points of a sweep (sequence length with
/// context parallelism, say), each point with its own recipe. Compared as ratios against the first
/// point, like reading a growth chart against the child's first mark: what every run shares (a
/// framework's kernels, a power cap, how the metric counts FLOPs) cancels, and the shape is left.
/// </summary>
public sealed record PublishedCurve(string Name, IReadOnlyList<PublishedMeasurement> Points)
{
    /// <summary>Published ratio of point <paramref name="i"/> to the first point.</summary>
    public double PublishedRatio(int i) => Points[i].Measured / Points[0].Measured;

    /// <summary>Simulates every point once (<see cref="PublishedValidation.Run"/>) and returns each row with
    /// its simulated ratio to the first point.</summary>
    public IReadOnlyList<(ValidationRow Row, double PublishedRatio, double SimulatedRatio)> Simulate()
    {
        if (Points.Count < 2) throw new InvalidOperationException($"curve '{Name}' needs at least two points");
        var rows = PublishedValidation.Run(Points);
        return rows.Select((r, i) => (r, PublishedRatio(i), r.Predicted / rows[0].Predicted)).ToList();
    }
}
