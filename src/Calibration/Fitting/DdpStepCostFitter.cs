using MathNet.Numerics.LinearAlgebra;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Fitting;

/// <summary>
/// What DDP costs a rank per step, split three ways like a courier's invoice (per parcel, per kilogram, per label):
/// <c>a N + b S + c T</c> for a step of N buckets, S gradient bytes and T parameter tensors. The reducer registers an
/// autograd hook on every parameter and copies each gradient into its bucket and back one tensor at a time, so a model
/// of many small tensors (BatchNorm weights and biases) pays per tensor what the per-bucket line a + b S, measured on
/// stacks of one tensor per layer, does not show. Fitted to the DDP step benchmark's DDP-minus-plain CPU per step by
/// least squares on relative residuals with Huber reweighting (as <see cref="AlphaBetaFitter"/>; the cost over a run,
/// <see cref="DdpStepMeasurement.DdpRunCpuSecondsPerStep"/>), only when the rows
/// vary the tensor count apart from the layer count (sim-measurements v6: Linear stacks with biases).
/// </summary>
public static class DdpStepCostFitter
{
    /// <summary>The per-bucket line (<c>a + b S</c>) and the CPU seconds per parameter tensor; null when the rows do not
    /// vary the tensors apart from the layers, are too few, or give a negative or zero term (then the per-bucket line alone
    /// is fitted, <see cref="CalibrationFitter.FitHostCpuOfDdpStep"/>).</summary>
    public static (HostCpuCost PerBucket, double PerTensorSeconds)? Fit(IReadOnlyList<DdpStepMeasurement> rows)
    {
        var points = rows.Where(r => r.DdpRunCpuSecondsPerStep > 0).ToList();
        if (points.Count < 4 || !points.Any(r => r.Tensors != r.Layers) || !points.Any(r => r.Tensors == r.Layers)) return null;
        var x = Matrix<double>.Build.Dense(points.Count, 3, (i, j) => j switch
        {
            0 => points[i].Buckets,
            1 => points[i].Bytes,
            _ => points[i].Tensors,
        });
        var y = Vector<double>.Build.Dense(points.Count, i => points[i].DdpRunCpuSecondsPerStep);
        var robust = Vector<double>.Build.Dense(points.Count, 1.0);
        var beta = Vector<double>.Build.Dense(3);
        for (int iteration = 0; iteration < 20; iteration++)
        {
            // minimise sum w_i ((x_i . beta - y_i) / y_i)^2; columns scaled to comparable sizes for the solve
            var w = Vector<double>.Build.Dense(points.Count, i => Math.Sqrt(robust[i]) / y[i]);
            var scale = Vector<double>.Build.Dense(3, j => Math.Max(x.Column(j).AbsoluteMaximum(), 1e-300));
            var a = Matrix<double>.Build.Dense(points.Count, 3, (i, j) => x[i, j] / scale[j] * w[i]);
            var solved = a.QR().Solve(y.PointwiseMultiply(w));
            beta = solved.PointwiseDivide(scale);
            var residuals = (x * beta - y).PointwiseDivide(y);
            double spread = 1.4826 * MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(residuals.Select(Math.Abs).ToArray());
            if (!(spread > 1e-12)) break;
            double huber = 1.345 * spread;
            for (int i = 0; i < points.Count; i++)
                robust[i] = Math.Abs(residuals[i]) <= huber ? 1 : huber / Math.Abs(residuals[i]);
        }
        if (!(beta[0] >= 0) || !(beta[1] > 0) || !(beta[2] > 0)) return null;
        var line = new LinkCost(beta[0], beta[1]);
        double error = FitError.MedianRelative(points.Select(r => (line.AlphaSeconds * r.Buckets + line.BetaSecondsPerByte * r.Bytes + beta[2] * r.Tensors, r.DdpRunCpuSecondsPerStep)));
        return (new HostCpuCost(line, error), beta[2]);
    }
}
