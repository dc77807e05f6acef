namespace Sim.Models.Hardware;

/// <summary>
/// Numeric formats a device computes in. Like the gears of a bicycle: the narrower the format, the
/// faster the device goes, so peak throughput is quoted per precision.
/// </summary>
public enum Precision
{
    Fp64,
    Fp32,
    /// <summary>NVIDIA TensorFloat-32: fp32 range, 10-bit mantissa, on tensor cores (Ampere and later).</summary>
    Tf32,
    Fp16,
    Bf16,
    /// <summary>8-bit floating point (E4M3/E5M2), Hopper and later.</summary>
    Fp8,
}
