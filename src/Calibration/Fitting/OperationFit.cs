/// <summary>
/// A fitted efficiency curve for one operation (e.g. aten::mm) or a pooled operation class (e.g.
/// matmul), with how many points it was fitted on and how well it matched them: a calibrated
/// gauge with its calibration certificate attached.
/// </summary>
using Sim.Calibration.Traces;

namespace Sim.Calibration.Fitting;

public sealed record OperationFit(
    string Name,
    string OpClass,
    WorkKind Work,
    SaturatingEfficiencyCurve Curve,
    int Points,
    double MedianRelativeError);
