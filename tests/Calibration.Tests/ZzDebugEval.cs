using Sim.Calibration.Fitting;
using Sim.Calibration.Traces;
using Xunit.Abstractions;
namespace Sim.Calibration.Tests;
public sealed class ZzDebugEval(ITestOutputHelper output)
{
    [Fact]
    public void Eval()
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("SIM_EVAL_DIRS") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var set = MeasurementSetReader.Read(Path.Combine(dir, "measurements.json"));
            var ops = HeldOutEvaluation.OperationSizes(set.Ops);
            var b = HeldOutEvaluation.BatchSizes(set.Models); var oc = HeldOutEvaluation.OperationSizes(set.Ops, true);
            output.WriteLine($"{dir}: ops median {FitError.MedianRelative(ops.Select(p => (p.PredictedSeconds, p.MeasuredSeconds))):P2} curve-only {FitError.MedianRelative(oc.Select(p => (p.PredictedSeconds, p.MeasuredSeconds))):P2} batches median {FitError.MedianRelative(b.Select(p => (p.PredictedSeconds, p.MeasuredSeconds))):P2}");
            foreach (var p in ops.Where(p => p.RelativeError > 0.1)) output.WriteLine($"   {p.Name} {p.Size:G3} pred {p.PredictedSeconds*1e6:F2} meas {p.MeasuredSeconds*1e6:F2} err {p.RelativeError:P0}");
        }
    }
}
