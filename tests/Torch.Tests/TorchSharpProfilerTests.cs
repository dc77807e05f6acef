using Sim.Calibration.Fitting;
using Sim.Calibration.Profiles;
using Sim.Calibration.TorchSharp;
using Sim.Calibration.Traces;
using Xunit.Abstractions;

namespace Sim.Torch.Tests;

/// <summary>The TorchSharp backend on this machine: it writes measurement files the existing readers accept,
/// with this machine's identity, and its timings are consistent enough to predict held-out sizes.</summary>
public class TorchSharpProfilerTests(TorchSharpProfileFixture fixture, ITestOutputHelper output) : IClassFixture<TorchSharpProfileFixture>
{
    [Fact]
    public void WritesReadableMeasurementsWithThisMachinesIdentity()
    {
        if (fixture.Result is null) return;
        output.WriteLine($"profile took {fixture.Elapsed.TotalSeconds:F1} s");
        var set = MeasurementSetReader.Read(fixture.Result.MeasurementsPath);
        Assert.Equal("thread_cpu", set.Clock);
        Assert.StartsWith("torchsharp ", set.Hardware.Library);
        Assert.Equal(HardwareIdentity.CpuModel(), set.Hardware.CpuModel);
        Assert.Equal(1, set.Hardware.Threads);
        Assert.Empty(HardwareIdentity.Differences(set.Hardware, HardwareIdentity.ThisCpu(1, "", "")));
        Assert.Equal(["aten::add", "aten::conv2d", "aten::layer_norm", "aten::linear", "aten::mm", "aten::relu", "aten::scaled_dot_product_attention", "aten::softmax"],
            set.Ops.Select(o => o.Op).Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(3 * TorchSharpProfilerBackend.ShortBatches.Length, set.Models.Count);
        Assert.All(set.Models, m => Assert.Equal(m.Model == "mlp" ? 5 : m.Model == "cnn" ? 4 : 3, m.Layers.Count));
        Assert.Equal(3, fixture.Result.StepLogs.Count);
        foreach (var log in fixture.Result.StepLogs) Assert.Equal(TorchSharpProfilerBackend.ShortBatches.Length * 11, StepTimeLogReader.Read(log).Count);

        // physical sanity: a 768^3 matmul on one core cannot beat 200 GFLOP/s (far above any one core's FP32 peak) nor take a second
        var big = set.Ops.Single(o => o.Op == "aten::mm" && o.Shapes[0][0] == 768);
        Assert.InRange(big.Flops / big.MedianSeconds, 1e8, 2e11);
        // more work takes longer: within each operation, time rises with size from the smallest to the largest
        foreach (var g in set.Ops.GroupBy(o => o.Op))
        {
            var sorted = g.OrderBy(o => o.WorkAmount).ToList();
            Assert.True(sorted[^1].MedianSeconds > sorted[0].MedianSeconds, $"{g.Key}: largest size not slower than smallest");
        }
        foreach (var g in set.Models.GroupBy(m => m.Model))
            Assert.True(g.MaxBy(m => m.Batch)!.MedianSeconds > g.MinBy(m => m.Batch)!.MedianSeconds, $"{g.Key}: batch 32 not slower than batch 1");

        var profile = CalibrationFitter.FitDirectory(fixture.Directory);
        Assert.Equal("thread_cpu", profile.Clock);
        Assert.Equal(set.Hardware, profile.Hardware);
    }

    [Fact]
    public void HeldOutSizesArePredictedWithinTheBoundThisVmAllows()
    {
        if (fixture.Result is null) return;
        var set = MeasurementSetReader.Read(fixture.Result.MeasurementsPath);
        var ops = HeldOutEvaluation.OperationSizes(set.Ops);
        var batches = HeldOutEvaluation.BatchSizes(set.Models);
        double opError = FitError.MedianRelative(ops.Select(p => (p.PredictedSeconds, p.MeasuredSeconds)));
        double batchError = FitError.MedianRelative(batches.Select(p => (p.PredictedSeconds, p.MeasuredSeconds)));
        foreach (var p in ops.Concat(batches)) output.WriteLine($"{p.Name} {p.Size:G4}: predicted {p.PredictedSeconds * 1e6:F1} us, measured {p.MeasuredSeconds * 1e6:F1} us ({100 * p.RelativeError:+0.0;-0.0}%)");
        output.WriteLine($"held-out median error: ops {100 * opError:F1}% over {ops.Count}, batches {100 * batchError:F1}% over {batches.Count}");
        // The target is 5%. The thread-CPU clock ignores time other processes hold the core, but not
        // the caches they evict. Before samples were the best of three timings and the grid had sizes 1.5x apart,
        // this short-grid run measured 7.9-16.9% (ops) under load 30-42 on this VM's 2 cores; since, 1.3-1.8%
        // (58 sizes) at load 10-25, and full-grid runs 1.4-2.0% (docs/calibration.md). The bound leaves room for
        // a busier minute; what it still catches is a profiler whose sizes do not line up (a kernel timed with
        // another size's inputs, a clock that counts other threads' time), which breaks the interpolation by far
        // more. The batch sizes here are the efficiency curve's (4-11% on TorchSharp steps, 2-7% on PyTorch's);
        // the step model's own check is below.
        Assert.True(opError < 0.08, $"held-out operation sizes: median error {opError:P1}");
        Assert.True(batchError < 0.25, $"held-out batch sizes: median error {batchError:P1}");
    }

    [Fact]
    public void HostCostsAreMeasuredAndTheStepModelPredictsHeldOutBatches()
    {
        if (fixture.Result is null) return;
        var set = MeasurementSetReader.Read(fixture.Result.MeasurementsPath);
        var (costs, counts) = TorchHostCostFile.Read(Path.Combine(fixture.Directory, TorchHostCostFile.FileName));
        output.WriteLine(costs.Describe());
        // physical ranges: a call through .NET and LibTorch's dispatcher takes at least tens of nanoseconds and far less
        // than a millisecond; SGD reads and writes 12 bytes per float32 element (weight, gradient, weight), which at
        // 1 GB/s (far below any DRAM) to 1 TB/s (far above one core's L2 bandwidth) is 0.012 to 12 ns
        Assert.InRange(costs.DispatchSecondsPerOp, 20e-9, 100e-6);
        Assert.InRange(costs.AutogradSecondsPerNode, 20e-9, 100e-6);
        Assert.InRange(costs.ParameterTensorSeconds, 20e-9, 100e-6);
        Assert.InRange(costs.StepFixedSeconds, 0, 1e-3);
        Assert.InRange(costs.SgdSecondsPerElement, 0.012e-9, 12e-9);
        Assert.Equal(TorchSmallModels.Names, counts.Select(c => c.Model));
        foreach (var c in counts)
        {
            output.WriteLine($"{c.Model}: {c.OperatorCalls} calls, {c.AutogradNodes} autograd nodes, {c.ParameterTensors} tensors, {c.ParameterElements} elements");
            // the counted parameters are the ones the profile reports, and a training step records at least one node per parameterised layer
            Assert.Equal(set.Models.First(m => m.Model == c.Model).Parameters, c.ParameterElements);
            Assert.InRange(c.AutogradNodes, 1, c.OperatorCalls);
        }
        Assert.Equal(6, counts.Single(c => c.Model == "mlp").ParameterTensors); // three linear layers, weight and bias each

        var held = TorchStepModel.HeldOutBatchSizes(costs, counts, set.Models);
        foreach (var p in held) output.WriteLine($"{p.Name} batch {p.Size}: predicted {p.PredictedSeconds * 1e3:F3} ms, measured {p.MeasuredSeconds * 1e3:F3} ms ({100 * p.RelativeError:+0.0;-0.0}%)");
        double error = FitError.MedianRelative(held.Select(p => (p.PredictedSeconds, p.MeasuredSeconds)));
        output.WriteLine($"held-out step median error {100 * error:F1}% over {held.Count}");
        // Issue #16 asks for each model's single-process step within 5%. Full-grid runs measured 1.1-2.8% over
        // all 18 held-out steps at load 11-18, 2.3-4.1% at load 14-25 and 0.6-1.5% at load 2-8, per model 0.4-5.2%; this short grid (4
        // held-out sizes a model, 2 to 16, where the sub-millisecond steps are) 1.5-3.5%. The bounds are twice and three times the
        // target, for a busy minute on a shared 2-core VM; a step model that lost a term (host costs counted
        // twice, a kernel time taken at the wrong size) misses by far more.
        Assert.True(error < 0.10, $"held-out batch sizes (step model): median error {error:P1}");
        foreach (var g in held.GroupBy(p => p.Name))
        {
            double modelError = FitError.MedianRelative(g.Select(p => (p.PredictedSeconds, p.MeasuredSeconds)));
            Assert.True(modelError < 0.15, $"{g.Key}: held-out steps median error {modelError:P1}");
        }
    }
}
