using Sim.Models.Learning;

namespace Sim.Learning.Tests.StatisticalEfficiency;

public class NoiseScaleConvergenceTests
{
    private static readonly NoiseScaleConvergence Model = new(minSteps: 5_000, noiseScale: 2_048);

    [Fact]
    public void At_the_critical_batch_steps_and_examples_are_twice_their_minimum()
    {
        Assert.Equal(2 * Model.MinSteps, Model.StepsToTarget(Model.NoiseScale), 9);
        Assert.Equal(2 * Model.MinExamples, Model.ExamplesToTarget(Model.NoiseScale), 6);
        Assert.Equal(5_000.0 * 2_048, Model.MinExamples);
    }

    [Theory]
    [InlineData(1.0)]
    [InlineData(64.0)]
    [InlineData(2048.0)]
    [InlineData(1e6)]
    public void Steps_and_examples_lie_on_the_hyperbola_of_eq_2_11(double batch)
    {
        double s = Model.StepsToTarget(batch), e = Model.ExamplesToTarget(batch);
        Assert.Equal(1.0, (s / Model.MinSteps - 1) * (e / Model.MinExamples - 1), 9);
        Assert.Equal(1.0, batch * s / e, 12);
    }

    [Fact]
    public void Perfect_scaling_far_below_the_critical_batch_and_diminishing_returns_far_above()
    {
        // Far below B_noise doubling the batch halves the steps; far above it gains almost nothing.
        Assert.InRange(Model.StepSpeedup(2, 4), 1.99, 2.0);
        Assert.InRange(Model.StepSpeedup(1 << 20, 1 << 21), 1.0, 1.001);
        // In between the speed-up of a doubling falls monotonically.
        double previous = double.PositiveInfinity;
        for (double b = 1; b <= 1 << 22; b *= 2)
        {
            double speedup = Model.StepSpeedup(b, 2 * b);
            Assert.True(speedup < previous && speedup > 1, $"speed-up {speedup} at batch {b}");
            previous = speedup;
        }
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(-1.0, 1.0)]
    [InlineData(1.0, double.NaN)]
    [InlineData(1.0, double.PositiveInfinity)]
    public void Invalid_constants_are_refused(double minSteps, double noiseScale) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new NoiseScaleConvergence(minSteps, noiseScale));

    [Fact]
    public void A_non_positive_batch_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => Model.StepsToTarget(0));

    [Fact]
    public void Pollux_efficiency_is_the_examples_to_target_ratio()
    {
        Assert.Equal(1.0, Sim.Models.Learning.StatisticalEfficiency.Efficiency(Model.NoiseScale, 32, 32));
        foreach (double m in new[] { 8.0, 256, 4096, 65536 })
            Assert.Equal(Model.ExamplesToTarget(32) / Model.ExamplesToTarget(m), Sim.Models.Learning.StatisticalEfficiency.Efficiency(Model.NoiseScale, 32, m), 12);
        Assert.Equal(1000 * 0.5, Sim.Models.Learning.StatisticalEfficiency.Goodput(1000, noiseScale: 100, referenceBatch: 100, batch: 300), 12);
    }
}
