namespace Sim.Calibration.Traces;

/// <summary>
/// One micro-benchmarked kernel at one problem size, like one point on a dyno chart: the operation,
/// its class, its input shapes, the work it does (FLOPs and bytes moved) and its median duration.
/// </summary>
public sealed record OpMeasurement(
    string Op,
    string OpClass,
    WorkKind Work,
    IReadOnlyList<IReadOnlyList<long>> Shapes,
    double Flops,
    double Bytes,
    double MedianSeconds)
{
    /// <summary>The quantity that the op's efficiency curve is a function of.</summary>
    public double WorkAmount => Work == WorkKind.Flops ? Flops : Bytes;
}

/// <summary>Whether an operation is limited by arithmetic (FLOPs) or by memory traffic (bytes).</summary>
public enum WorkKind { Flops, Bytes }
