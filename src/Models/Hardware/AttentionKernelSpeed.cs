namespace Sim.Models.Hardware;

/// <summary>
/// A fused attention kernel's measured speed relative to the kernel a device's attention figures
/// describe, each in the FLOPs it does, on the same GPU and shape: forward without a mask, forward with
/// the causal mask (relative to the figure kernel's causal forward), and backward.
/// </summary>
public sealed record AttentionKernelSpeed(double Forward, double CausalForward, double Backward)
{
    /// <summary>Throws <see cref="SpecError"/> unless every speed is in (0, 1]: the figure kernel is the
    /// fastest one measured on the device.</summary>
    public void Validate(string path)
    {
        Check(path + ".forward", Forward);
        Check(path + ".causalForward", CausalForward);
        Check(path + ".backward", Backward);
    }

    private static void Check(string path, double value)
    {
        if (!(value > 0 && value <= 1)) throw new SpecError(path, $"must be in (0, 1], got {value}");
    }
}
