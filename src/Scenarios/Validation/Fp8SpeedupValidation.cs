namespace Sim.Scenarios.Validation;

/// <summary>A simulated FP8-versus-BF16 speedup beside the published one.</summary>
public sealed record Fp8SpeedupRow(string Name, double PublishedSpeedup, double PredictedSpeedup, ValidationRow Bf16, ValidationRow Fp8)
{
    /// <summary>(predicted - published) / published speedup.</summary>
    public double RelativeError => (PredictedSpeedup - PublishedSpeedup) / PublishedSpeedup;
}

/// <summary>Runs both halves of each <see cref="Fp8SpeedupPair"/> and compares the speedups.</summary>
public static class Fp8SpeedupValidation
{
    public static IReadOnlyList<Fp8SpeedupRow> Run(IEnumerable<Fp8SpeedupPair>? pairs = null)
    {
        var rows = new List<Fp8SpeedupRow>();
        foreach (var pair in pairs ?? RecipeMeasurements.Fp8Pairs)
        {
            var both = PublishedValidation.Run([pair.Bf16, pair.Fp8]);
            rows.Add(new Fp8SpeedupRow(pair.Name, pair.PublishedSpeedup, both[0].Predicted / both[1].Predicted, both[0], both[1]));
        }
        return rows;
    }
}
