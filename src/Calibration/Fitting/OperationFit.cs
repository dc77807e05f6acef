using Sim.Calibration.Traces;

namespace Sim.Calibration.Fitting;

/// <summary>
/// A calibrated operation (e.g. aten::mm) or pooled operation class (e.g. matmul): its measured
/// table and its fitted efficiency curve, with how well the curve matched the points, like a
/// calibrated gauge with its calibration certificate attached. Predictions read the table inside
/// the measured range and the curve outside it (<see cref="MeasuredTable"/>).
/// </summary>
public sealed record OperationFit(
    string Name,
    string OpClass,
    WorkKind Work,
    SaturatingEfficiencyCurve Curve,
    MeasuredTable Table,
    double MedianRelativeError)
{
    public int Points => Table.Points.Count;

    /// <summary>Predicted seconds for an instance of this operation doing <paramref name="work"/>.</summary>
    public double Seconds(double work) => Table.Seconds(work, Curve);
}
