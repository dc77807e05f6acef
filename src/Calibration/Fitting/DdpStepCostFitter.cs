using MathNet.Numerics.LinearAlgebra;
using Sim.Calibration.Traces;

namespace Sim.Calibration.Fitting;

/// <summary>
/// What DDP costs a rank per step, split like a courier's invoice (per parcel, per kilogram, per label, and, for a single
/// process, a fixed fee per delivery): <c>a N + b S + c T</c>, or <c>k + a N + b S + c T</c>, for a step of N buckets, S gradient
/// bytes and T parameter tensors. The reducer registers an autograd hook on every parameter and copies each gradient into its
/// bucket and back one tensor at a time, so a model of many small tensors (BatchNorm weights and biases) pays per tensor what
/// the per-bucket line a + b S, measured on stacks of one tensor per layer, does not show. Fitted to the DDP step benchmark's
/// DDP-minus-plain CPU per step by least squares on relative residuals with Huber reweighting (as <see cref="AlphaBetaFitter"/>;
/// the cost over a run, <see cref="DdpStepMeasurement.DdpRunCpuSecondsPerStep"/>), only when the rows vary the tensor count apart
/// from the layer count (sim-measurements v6: Linear stacks with biases).
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
        var beta = Solve(points, [r => r.Buckets, r => r.Bytes, r => r.Tensors]);
        if (!(beta[0] >= 0) || !(beta[1] > 0) || !(beta[2] > 0)) return null;
        var line = new LinkCost(beta[0], beta[1]);
        double error = FitError.MedianRelative(points.Select(r => (line.AlphaSeconds * r.Buckets + line.BetaSecondsPerByte * r.Bytes + beta[2] * r.Tensors, r.DdpRunCpuSecondsPerStep)));
        return (new HostCpuCost(line, error), beta[2]);
    }

    /// <summary>
    /// The four-term form for a single process (profile v9): CPU seconds per step <c>k</c> beside the per-bucket line
    /// <c>a + b S</c> and the per-tensor term <c>c</c>. In a world of one, torch 1.13's DDP runs per step its Python forward
    /// (DistributedDataParallel.forward) and the reducer's per-iteration set-up and finalisation, per bucket a one-rank gloo
    /// all-reduce handed to gloo's thread and waited for through a future, and per tensor an autograd hook, a temporary
    /// gradient / world, a copy into the bucket and one back (op counts of torch.autograd.profiler, docs/calibration.md
    /// 2026-12-08); no work per autograd node (find_unused_parameters is off). The three-term form had to put the per-step
    /// work on the buckets, over-charging a step of many buckets and under-charging one of a single bucket.
    /// Null when the rows cannot separate the terms (fewer than six rows, no row with more than one bucket at the same
    /// tensors as one with a single bucket, no variation of the tensors apart from the layers) or a term comes out negative
    /// or zero (then <see cref="Fit"/> is used).
    /// </summary>
    public static (HostCpuCost PerBucket, double PerTensorSeconds, double PerStepSeconds)? FitWithStep(IReadOnlyList<DdpStepMeasurement> rows)
    {
        var points = rows.Where(r => r.DdpRunCpuSecondsPerStep > 0).ToList();
        if (points.Count < 6 || !points.Any(r => r.Tensors != r.Layers) || points.Select(r => r.Buckets).Distinct().Count() < 2) return null;
        var beta = Solve(points, [_ => 1.0, r => r.Buckets, r => r.Bytes, r => r.Tensors]);
        if (!(beta[0] > 0) || !(beta[1] >= 0) || !(beta[2] > 0) || !(beta[3] > 0)) return null;
        var line = new LinkCost(beta[1], beta[2]);
        double error = FitError.MedianRelative(points.Select(r => (Seconds(beta[0], line, beta[3], r), r.DdpRunCpuSecondsPerStep)));
        return (new HostCpuCost(line, error), beta[3], beta[0]);
    }

    /// <summary>What the four-term form charges a step of the row's layout: <c>k + a N + b S + c T</c>.</summary>
    public static double Seconds(double perStep, LinkCost perBucket, double perTensor, DdpStepMeasurement row) =>
        perStep + perBucket.AlphaSeconds * row.Buckets + perBucket.BetaSecondsPerByte * row.Bytes + perTensor * row.Tensors;

    /// <summary>Least squares on relative residuals with Huber reweighting: minimises sum w_i ((x_i . beta - y_i) / y_i)^2.</summary>
    private static Vector<double> Solve(List<DdpStepMeasurement> points, Func<DdpStepMeasurement, double>[] columns)
    {
        int n = points.Count, m = columns.Length;
        var x = Matrix<double>.Build.Dense(n, m, (i, j) => columns[j](points[i]));
        var y = Vector<double>.Build.Dense(n, i => points[i].DdpRunCpuSecondsPerStep);
        var robust = Vector<double>.Build.Dense(n, 1.0);
        var beta = Vector<double>.Build.Dense(m);
        for (int iteration = 0; iteration < 20; iteration++)
        {
            // columns scaled to comparable sizes for the solve
            var w = Vector<double>.Build.Dense(n, i => Math.Sqrt(robust[i]) / y[i]);
            var scale = Vector<double>.Build.Dense(m, j => Math.Max(x.Column(j).AbsoluteMaximum(), 1e-300));
            var a = Matrix<double>.Build.Dense(n, m, (i, j) => x[i, j] / scale[j] * w[i]);
            beta = a.QR().Solve(y.PointwiseMultiply(w)).PointwiseDivide(scale);
            var residuals = (x * beta - y).PointwiseDivide(y);
            double spread = 1.4826 * MathNet.Numerics.Statistics.ArrayStatistics.MedianInplace(residuals.Select(Math.Abs).ToArray());
            if (!(spread > 1e-12)) break;
            double huber = 1.345 * spread;
            for (int i = 0; i < n; i++)
                robust[i] = Math.Abs(residuals[i]) <= huber ? 1 : huber / Math.Abs(residuals[i]);
        }
        return beta;
    }
}
