namespace Sim.Scenarios.Validation;

/// <summary>
/// One published FP8-versus-BF16 pair: the same model, layout, batch and machine measured in both
/// precisions. The pair validates the FP8 mechanism by its speedup (BF16 step time over FP8 step time),
/// which cancels most of what the two runs share (pipeline bubble, exposed communication, the BF16
/// baseline's own error).
/// </summary>
public sealed record Fp8SpeedupPair(string Name, PublishedMeasurement Bf16, PublishedMeasurement Fp8)
{
    /// <summary>Published BF16 step time over FP8 step time.</summary>
    public double PublishedSpeedup => Bf16.Measured / Fp8.Measured;
}
