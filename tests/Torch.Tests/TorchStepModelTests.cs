using Sim.Calibration.TorchSharp;
using Sim.Calibration.Traces;

namespace Sim.Torch.Tests;

/// <summary>The step model against closed forms: steps made exactly of host costs and a kernel line are
/// recovered exactly, and the host-cost file round-trips and refuses bad input by key path.</summary>
public class TorchStepModelTests
{
    private static readonly TorchHostCosts Costs = new(0.75e-6, 1.6e-6, 2.5e-6, 0.3e-9, 3e-6);
    private static readonly TorchStepCounts Counts = new("mlp", 14, 9, 6, 400_000);

    private static readonly int[] Batches = [1, 2, 3, 4, 6, 8, 12, 16];

    private static ModelStepMeasurement Step(int batch, double seconds) => new("mlp", batch, 0, 0, 400_000, seconds, [seconds], []);

    [Fact]
    public void HostSecondsAreTheMeasuredCostsTimesTheCountedCalls()
    {
        // 3 + 14 x 0.75 + 9 x 1.6 + 6 x 2.5 us + 400000 x 0.3 ns = 3 + 10.5 + 14.4 + 15 + 120 us
        Assert.Equal(162.9e-6, Costs.StepSeconds(Counts), 12);
    }

    [Fact]
    public void StepsOfHostCostsAndAKernelLineArePredictedExactly()
    {
        double host = Costs.StepSeconds(Counts);
        double Kernel(int b) => 50e-6 + 20e-6 * b;
        // batch 1 takes other code paths: far off the line, and kept as its own regime
        var steps = Batches.Select(b => Step(b, host + (b == 1 ? 400e-6 : Kernel(b)))).ToList();
        var model = TorchStepModel.Fit(Costs, Counts, steps);
        Assert.Equal(20e-6, model.KernelSecondsPerSample, 12);
        Assert.Equal(host + 400e-6, model.Seconds(1), 12);
        Assert.Equal(host + Kernel(100), model.Seconds(100), 12);

        var held = TorchStepModel.HeldOutBatchSizes(Costs, [Counts], steps);
        Assert.Equal([2.0, 4, 8], held.Select(p => p.Size));
        Assert.All(held, p => Assert.True(p.RelativeError < 1e-9, $"batch {p.Size}: {p.RelativeError}"));
    }

    [Fact]
    public void WithoutBatchOneTheLineServesEveryBatch()
    {
        double host = Costs.StepSeconds(Counts);
        var model = TorchStepModel.Fit(Costs, Counts, [Step(2, host + 90e-6), Step(4, host + 130e-6)]);
        Assert.Null(model.BatchOneKernelSeconds);
        Assert.Equal(host + 70e-6, model.Seconds(1), 12);
    }

    [Fact]
    public void KernelTimeIsLinearBetweenNeighbouringSizesAndFollowsTheOverallSlopeBeyondThem()
    {
        // kernel time whose slope per sample changes with the size: 10 us per sample up to 8, 20 us beyond
        double host = Costs.StepSeconds(Counts);
        double Kernel(int b) => b <= 8 ? 100e-6 + 10e-6 * b : 180e-6 + 20e-6 * (b - 8);
        var model = TorchStepModel.Fit(Costs, Counts, [Step(2, host + Kernel(2)), Step(8, host + Kernel(8)), Step(16, host + Kernel(16))]);
        Assert.Equal(host + Kernel(5), model.Seconds(5), 12);   // between 2 and 8: that segment's slope
        Assert.Equal(host + Kernel(12), model.Seconds(12), 12); // between 8 and 16: the steeper one
        double slope = model.KernelSecondsPerSample;
        Assert.InRange(slope, 10e-6, 20e-6);                    // the overall line lies between the segments' slopes
        Assert.Equal(host + Kernel(16) + slope * 16, model.Seconds(32), 12);
        Assert.Equal(host + Math.Max(Kernel(2) - slope, 0), model.Seconds(1), 12); // no batch 1 profiled: below the smallest size
    }

    [Fact]
    public void OneBatchSizeAboveOneIsRefused()
    {
        var e = Assert.Throws<ArgumentException>(() => TorchStepModel.Fit(Costs, Counts, [Step(1, 1e-3), Step(4, 2e-3)]));
        Assert.Contains("two or more batch sizes above 1", e.Message);
    }

    [Fact]
    public void HostCostFileRoundTrips()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sim-host-costs-{Guid.NewGuid():N}.json");
        try
        {
            TorchHostCostFile.Write(path, "thread_cpu", Costs, [Counts, new TorchStepCounts("cnn", 40, 30, 16, 25_000)]);
            var (costs, counts) = TorchHostCostFile.Read(path);
            Assert.Equal(Costs, costs);
            Assert.Equal([Counts, new TorchStepCounts("cnn", 40, 30, 16, 25_000)], counts);
        }
        finally { File.Delete(path); }
    }

    [Theory]
    [InlineData("{\"schema\": \"sim-torch-host-costs\", \"version\": 1, \"dispatch_s_per_op\": -1}", "$.dispatch_s_per_op")]
    [InlineData("{\"schema\": \"other\"}", "$.schema")]
    [InlineData("{\"schema\": \"sim-torch-host-costs\", \"version\": 1, \"dispatch_s_per_op\": 1e-6, \"autograd_s_per_node\": 1e-6, \"parameter_tensor_s\": 1e-6, \"sgd_s_per_element\": 1e-9, \"step_fixed_s\": 1e-6, \"models\": [{\"model\": \"mlp\", \"operator_calls\": 2.5}]}", "$.models[0].operator_calls")]
    [InlineData("{\"schema\": ", "line 1")]
    public void BadHostCostFilesNameTheKeyPath(string text, string location)
    {
        string path = Path.Combine(Path.GetTempPath(), $"sim-host-costs-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, text);
            var e = Assert.Throws<TraceFormatException>(() => TorchHostCostFile.Read(path));
            Assert.Equal(location, e.Location);
            Assert.Equal(path, e.FilePath);
        }
        finally { File.Delete(path); }
    }
}
