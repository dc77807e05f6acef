using Sim.Models.Learning;

namespace Sim.Learning.Tests.StatisticalEfficiency;

public class StalenessPenaltyTests
{
    [Fact]
    public void Without_delay_the_contraction_is_one_minus_a()
    {
        Assert.Equal(0.9, StalenessPenalty.Contraction(0, 0.1), 15);
        Assert.Equal(1.0, StalenessPenalty.StepFactor(0, 0.1));
        Assert.Equal(1.0, StalenessPenalty.StepFactor(0, 1.0));
    }

    [Theory]
    [InlineData(1, 0.05)]
    [InlineData(2, 0.05)]
    [InlineData(4, 0.02)]
    [InlineData(8, 0.01)]
    public void The_contraction_is_a_root_and_matches_the_decay_of_the_delayed_recurrence(int tau, double a)
    {
        double rho = StalenessPenalty.Contraction(tau, a);
        Assert.Equal(0.0, Math.Pow(rho, tau + 1) - Math.Pow(rho, tau) + a, 12);

        // Run x_{k+1} = x_k - a x_{k-tau} from x = 1 and measure the asymptotic decay per step.
        var history = new double[tau + 1];
        Array.Fill(history, 1.0);
        double x = 1, previous = 0;
        const int steps = 3000;
        for (int k = 0; k < steps; k++)
        {
            double stale = history[k % (tau + 1)];
            previous = x;
            x -= a * stale;
            history[k % (tau + 1)] = x;
        }
        Assert.Equal(rho, x / previous, 9);
    }

    [Fact]
    public void More_staleness_costs_more_steps_once_it_forces_a_smaller_rate()
    {
        Assert.Equal(1.0, StalenessPenalty.StepFactor(1, 0.25));        // a_sync = a_max(1): no cut yet
        Assert.Equal(2.0, StalenessPenalty.StepFactor(1, 0.5), 12);
        Assert.Equal(0.5 * 27 / 4, StalenessPenalty.StepFactor(2, 0.5), 12);
        double previous = 1;
        for (int tau = 1; tau <= 32; tau++)
        {
            double f = StalenessPenalty.StepFactor(tau, 0.5);
            Assert.True(f > previous, $"factor {f} at staleness {tau} not above {previous}");
            previous = f;
        }
    }

    /// <summary>Delayed gradient descent on f(x) = (x1² + x2²/κ)/2 with κ = 1000, at the synchronous rate
    /// when it is monotone-stable and at a_max(τ) otherwise: steps to shrink the error 1000-fold against
    /// the undelayed run must match the step factor (the flat direction sets the count).</summary>
    [Theory]
    [InlineData(1, 0.8)]
    [InlineData(2, 0.5)]
    [InlineData(4, 0.9)]
    [InlineData(8, 0.2)]
    public void The_step_factor_matches_delayed_gradient_descent_on_an_ill_conditioned_quadratic(int tau, double aSync)
    {
        const double kappa = 1000;
        int sync = StepsToShrink(0, aSync, kappa);
        int stale = StepsToShrink(tau, Math.Min(aSync, StalenessPenalty.MaxStepCurvature(tau)), kappa);
        double measured = (double)stale / sync;
        Assert.InRange(measured, 0.98 * StalenessPenalty.StepFactor(tau, aSync), 1.02 * StalenessPenalty.StepFactor(tau, aSync));
    }

    private static int StepsToShrink(int tau, double aTop, double kappa)
    {
        var curvature = new[] { 1.0, 1.0 / kappa };
        var history = new double[2, tau + 1];
        var x = new[] { 1.0, 1.0 };
        for (int j = 0; j <= tau; j++) { history[0, j] = 1; history[1, j] = 1; }
        for (int k = 1; k < 10_000_000; k++)
        {
            for (int d = 0; d < 2; d++)
            {
                double stale = history[d, k % (tau + 1)];
                x[d] -= aTop * curvature[d] * stale;
                history[d, k % (tau + 1)] = x[d];
            }
            if (Math.Sqrt(x[0] * x[0] + x[1] * x[1]) < 1e-3 * Math.Sqrt(2)) return k;
        }
        throw new InvalidOperationException("did not converge");
    }

    [Fact]
    public void Fractional_staleness_interpolates_and_the_oscillatory_range_is_refused()
    {
        double f2 = StalenessPenalty.StepFactor(2, 0.5), f3 = StalenessPenalty.StepFactor(3, 0.5);
        Assert.Equal(0.5 * (f2 + f3), StalenessPenalty.StepFactor(2.5, 0.5), 12);
        Assert.Equal(0.25, StalenessPenalty.MaxStepCurvature(1), 15);
        Assert.Throws<ArgumentOutOfRangeException>(() => StalenessPenalty.Contraction(1, 0.26));
        Assert.Throws<ArgumentOutOfRangeException>(() => StalenessPenalty.Contraction(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => StalenessPenalty.StepFactor(1, 1.5));
    }

    [Fact]
    public void Learning_rate_rules_follow_goyal_and_zhang()
    {
        var schedule = new LearningRateSchedule { BaseRate = 0.1, BaseBatch = 256, Batch = 8192, WarmupSteps = 100 };
        Assert.Equal(3.2, schedule.PeakRate, 12);
        Assert.Equal(0.1, schedule.Rate(0), 15);
        Assert.Equal(0.1 + 3.1 * 0.5, schedule.Rate(50), 12);
        Assert.Equal(3.2, schedule.Rate(100), 12);
        Assert.Equal(3.2, schedule.Rate(10_000), 12);
        Assert.Equal(0.1, LearningRateSchedule.StalenessAware(0.1, 0));
        Assert.Equal(0.025, LearningRateSchedule.StalenessAware(0.1, 4), 15);
    }
}
