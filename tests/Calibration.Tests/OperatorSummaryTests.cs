using Sim.Calibration.Traces;

namespace Sim.Calibration.Tests;

/// <summary>
/// Self-time accounting: a hand-computed nesting example, then conservation on real traces
/// (self times add up to the time covered by top-level spans) and the GPU side of the Kineto fixture.
/// </summary>
public sealed class OperatorSummaryTests
{
    private static TraceEvent Span(string name, double ts, double dur, string tid = "1") =>
        new(name, "cpu_op", "X", ts, dur, "1", tid, null, null, null, null);

    [Fact]
    public void NestedSpans_SelfTimeExcludesDirectChildren()
    {
        var summary = OperatorSummary.FromEvents(
        [
            Span("step", 0, 10), Span("linear", 1, 2), Span("mm", 1.5, 1), Span("relu", 4, 4), Span("other-thread", 2, 5, tid: "2"),
        ]).ToDictionary(s => s.Name);
        Assert.Equal(4, summary["step"].SelfUs);   // 10 - 2 - 4
        Assert.Equal(1, summary["linear"].SelfUs); // 2 - 1
        Assert.Equal(1, summary["mm"].SelfUs);
        Assert.Equal(4, summary["relu"].SelfUs);
        Assert.Equal(5, summary["other-thread"].SelfUs);
        Assert.Equal(10, summary["step"].TotalUs);
    }

    [Theory]
    [InlineData("mlp")]
    [InlineData("cnn")]
    [InlineData("transformer")]
    public void RealTrace_SelfTimesAddUpToTopLevelTime(string model)
    {
        var events = PyTorchTraceReader.ReadAll(Path.Combine(RepositoryPaths.CpuTraces, $"trace-{model}.json")).Where(e => e.IsCompleteSpan).ToList();
        var summary = OperatorSummary.FromEvents(events);
        double selfSum = summary.Sum(s => s.SelfUs);
        // time covered by top-level spans (those not starting inside an earlier span on their thread)
        double topLevel = 0;
        foreach (var thread in events.GroupBy(e => (e.ProcessId, e.ThreadId)))
        {
            double end = double.NegativeInfinity;
            foreach (var e in thread.OrderBy(e => e.TimestampUs).ThenByDescending(e => e.DurationUs))
            {
                if (e.TimestampUs >= end) { topLevel += e.DurationUs; end = e.TimestampUs + e.DurationUs; }
            }
        }
        Assert.Equal(topLevel, selfSum, 1e-6 * topLevel);
        Assert.Equal(events.Count, summary.Sum(s => s.Count));
        Assert.Contains(summary, s => s.Name.Contains("addmm", StringComparison.Ordinal) || s.Name.Contains("mkldnn_convolution", StringComparison.Ordinal) || s.Name == "aten::mm");
    }

    [Fact]
    public void KinetoFixture_SeparatesGpuKernelsFromHostOps()
    {
        var summary = OperatorSummary.FromEvents(PyTorchTraceReader.ReadAll(RepositoryPaths.Fixture("kineto_hand_made.json")));
        var gemm = summary.Single(s => s.Name.StartsWith("ampere_sgemm", StringComparison.Ordinal));
        Assert.True(gemm.OnGpu);
        Assert.Equal(12.128, gemm.SelfUs, 9);
        var step = summary.Single(s => s.Name == "ProfilerStep#3");
        // ProfilerStep#3 contains linear (48.5), the launch inside it, and allreduce_ (22) as direct children
        Assert.Equal(812.345 - 48.5 - 22.0, step.SelfUs, 1e-3); // epoch timestamps (1.7e12 us) keep about 1e-4 us
        var linear = summary.Single(s => s.Name == "aten::linear");
        Assert.Equal(48.5 - 30.25, linear.SelfUs, 1e-3);
    }
}
