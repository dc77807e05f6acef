namespace Sim.Models.Learning;

/// <summary>
/// How many more steps gradient descent needs when gradients are τ updates stale, from the quadratic
/// model: along a direction of curvature λ, x_{k+1} = x_k − a x_{k−τ} with a = ηλ. The error shrinks per
/// step by the dominant root ρ of z^{τ+1} − z^τ + a = 0, which is real (monotone decay) only while
/// a ≤ a_max(τ) = τ^τ / (τ+1)^{τ+1} (1 at τ = 0, 1/4 at τ = 1, about 1/(e(τ+1)) for large τ); beyond it
/// the iterates oscillate and soon diverge. Staleness therefore costs steps by forcing a smaller learning
/// rate on the sharpest direction (the reason for η ∝ 1/τ in the analyses of Lian et al., "Asynchronous
/// Parallel Stochastic Gradient for Nonconvex Optimization", NeurIPS 2015, and in the staleness-aware
/// rate of Zhang et al., IJCAI 2016); the flat directions, which set the number of steps, then move
/// proportionally slower. With a_sync = η λ_max of the synchronous run, the penalty in the limit of a
/// large condition number is max(1, a_sync / a_max(τ)): nothing while the synchronous rate is still
/// monotone-stable at delay τ, proportional to the cut once it is not.
/// </summary>
/// <remarks>
/// The tests check the root against the recurrence, and the step factor against delayed gradient descent
/// run on a two-direction quadratic with condition number 1000. A fractional mean staleness interpolates
/// linearly between the two neighbouring integer delays (a documented approximation: the simulation's
/// delays vary from update to update).
/// </remarks>
public static class StalenessPenalty
{
    /// <summary>a_max(τ) = τ^τ / (τ+1)^{τ+1} (1 at τ = 0).</summary>
    public static double MaxStepCurvature(int staleness)
    {
        if (staleness < 0) throw new ArgumentOutOfRangeException(nameof(staleness), staleness, "staleness must be >= 0");
        if (staleness == 0) return 1;
        double t = staleness;
        return Math.Exp(t * Math.Log(t) - (t + 1) * Math.Log(t + 1));
    }

    /// <summary>ρ_τ: the per-step error contraction with delay τ (the largest real root of
    /// z^τ (1 − z) = a, found by bisection on [τ/(τ+1), 1], where the left side falls monotonically).</summary>
    /// <exception cref="ArgumentOutOfRangeException">a outside (0, a_max(τ)].</exception>
    public static double Contraction(int staleness, double stepCurvature)
    {
        double max = MaxStepCurvature(staleness);
        if (!(stepCurvature > 0) || stepCurvature > max)
            throw new ArgumentOutOfRangeException(nameof(stepCurvature), stepCurvature,
                $"learning rate x curvature must be in (0, {max:G6}] for staleness {staleness} (beyond it the delayed iteration oscillates)");
        if (staleness == 0) return 1 - stepCurvature;
        double lo = (double)staleness / (staleness + 1), hi = 1;
        // 200 halvings reach the float resolution of [lo, 1] long before; the loop stops when lo and hi meet.
        for (int i = 0; i < 200 && hi - lo > 0; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (mid == lo || mid == hi) break;
            double g = Math.Pow(mid, staleness) * (1 - mid);
            if (g >= stepCurvature) lo = mid; else hi = mid;
        }
        return lo;
    }

    /// <summary>max(1, a_sync / a_max(τ)): the factor by which delay τ multiplies the steps to a target
    /// when the synchronous run used <paramref name="syncStepCurvature"/> = η λ_max ∈ (0, 1].</summary>
    /// <exception cref="ArgumentOutOfRangeException">a_sync outside (0, 1] or a negative delay.</exception>
    public static double StepFactor(int staleness, double syncStepCurvature)
    {
        if (!(syncStepCurvature > 0) || syncStepCurvature > 1)
            throw new ArgumentOutOfRangeException(nameof(syncStepCurvature), syncStepCurvature, "learning rate x largest curvature of the synchronous run must be in (0, 1]");
        return Math.Max(1, syncStepCurvature / MaxStepCurvature(staleness));
    }

    /// <summary><see cref="StepFactor(int, double)"/> at a fractional mean staleness: linear between the
    /// neighbouring integers.</summary>
    public static double StepFactor(double meanStaleness, double stepCurvature)
    {
        if (!(meanStaleness >= 0) || double.IsInfinity(meanStaleness)) throw new ArgumentOutOfRangeException(nameof(meanStaleness), meanStaleness, "mean staleness must be a finite number >= 0");
        int below = (int)Math.Floor(meanStaleness);
        double w = meanStaleness - below;
        double f = StepFactor(below, stepCurvature);
        return w == 0 ? f : (1 - w) * f + w * StepFactor(below + 1, stepCurvature);
    }
}
