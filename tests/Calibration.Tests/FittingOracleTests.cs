using MathNet.Numerics.Distributions;
using Sim.Calibration.Fitting;

namespace Sim.Calibration.Tests;

/// <summary>
/// Fitters against closed-form oracles: data generated from known parameters must give those
/// parameters back; then properties (robustness to one outlier, determinism).
/// </summary>
public sealed class FittingOracleTests
{
    [Theory]
    [InlineData(2e11, 5e6, 1.0)]
    [InlineData(5e10, 1e5, 0.6)]
    [InlineData(1e11, 2e7, 0.35)]
    [InlineData(1e11, 2e7, 1.8)]
    public void EfficiencyCurve_RecoversKnownCurve(double maxRate, double halfWork, double sharpness)
    {
        var truth = new SaturatingEfficiencyCurve(maxRate, halfWork, sharpness);
        var points = Enumerable.Range(0, 14).Select(i => halfWork * Math.Pow(2, i - 7)).Select(w => (w, truth.Seconds(w))).ToList();
        var fit = EfficiencyCurveFitter.Fit(points);
        Assert.Equal(maxRate, fit.MaxRate, maxRate * 1e-3);
        Assert.Equal(halfWork, fit.HalfRateWork, halfWork * 1e-3);
        Assert.Equal(sharpness, fit.Sharpness, 1e-3);
    }

    [Fact]
    public void EfficiencyCurve_WithSharpnessOne_IsLatencyPlusThroughput()
    {
        var c = new SaturatingEfficiencyCurve(1e9, 1e6, 1);
        // t = Wh/Rmax + W/Rmax = 1 ms + W / 1e9
        Assert.Equal(1e-3 + 5e-3, c.Seconds(5e6), 15);
        Assert.Equal(0.5e9, c.Rate(1e6), 6);
    }

    [Fact]
    public void EfficiencyCurve_SharpnessAboveOne_HoldsItsFloorBelowTheMinimum()
    {
        var c = new SaturatingEfficiencyCurve(1e9, 1e6, 2); // W* = Wh (k-1)^(1/k) = 1e6
        Assert.Equal(1e6, c.FloorWork, 6);
        Assert.Equal(2e-3, c.Seconds(1e6), 15); // 1e6/1e9 * (1 + 1)
        Assert.Equal(c.Seconds(1e6), c.Seconds(1e3));
        Assert.True(c.Seconds(2e6) > c.Seconds(1e6));
    }

    [Fact]
    public void EfficiencyCurve_TwoPoints_FitsTheLineExactly()
    {
        var fit = EfficiencyCurveFitter.Fit([(1e6, 2e-3), (3e6, 4e-3)]); // t = 1 ms + W / 1e9
        Assert.Equal(1, fit.Sharpness);
        Assert.Equal(1e9, fit.MaxRate, 1e9 * 1e-6);
        Assert.Equal(1e6, fit.HalfRateWork, 1e6 * 1e-6);
    }

    [Fact]
    public void EfficiencyCurve_RejectsNonPositiveInput()
    {
        Assert.Throws<ArgumentException>(() => EfficiencyCurveFitter.Fit([]));
        Assert.Throws<ArgumentException>(() => EfficiencyCurveFitter.Fit([(1, 0), (2, 1)]));
        Assert.Throws<ArgumentException>(() => EfficiencyCurveFitter.Fit([(double.NaN, 1), (2, 1)]));
    }

    [Fact]
    public void MeasuredTable_InterpolatesInLogLog_AndExtrapolatesContinuously()
    {
        var curve = new SaturatingEfficiencyCurve(1e9, 1e3, 1);
        var table = new MeasuredTable([(1e3, 1e-6), (1e5, 1e-4)]); // slope 1 in log-log
        Assert.Equal(1e-5, table.Seconds(1e4, curve), 1e-18);
        Assert.Equal(1e-4, table.Seconds(1e5, curve), 1e-18);
        double above = table.Seconds(1e5 * (1 + 1e-12), curve);
        Assert.Equal(1e-4, above, 1e-15);
        Assert.Equal(1e-4 * curve.Seconds(1e7) / curve.Seconds(1e5), table.Seconds(1e7, curve), 1e-15);
    }

    [Fact]
    public void AlphaBeta_ExactLine_IsRecovered_AndConvertedWithRingFactors()
    {
        // all-reduce on 8 ranks: T = 2(n-1) alpha + 2(n-1)/n S beta
        double alpha = 5e-6, beta = 1 / 12.5e9;
        var link = new LinkCost(alpha, beta);
        var points = Enumerable.Range(10, 16).Select(k => Math.Pow(2, k)).Select(s => (s, AlphaBetaFitter.CollectiveSeconds(link, "all_reduce", 8, s))).ToList();
        var fitted = AlphaBetaFitter.FitLink("all_reduce", 8, points);
        Assert.Equal(alpha, fitted.AlphaSeconds, 1e-12);
        Assert.Equal(beta, fitted.BetaSecondsPerByte, 1e-18);
        Assert.Equal(14 * alpha + 1.75 * 1024 * beta, AlphaBetaFitter.CollectiveSeconds(link, "all_reduce", 8, 1024), 15);
    }

    [Fact]
    public void AlphaBeta_OneDisturbedTiming_DoesNotDragTheLine()
    {
        var truth = new LinkCost(20e-6, 1 / 5e9);
        var points = Enumerable.Range(12, 12).Select(k => Math.Pow(2, k)).Select(s => (s, truth.Seconds(s))).ToList();
        points[3] = (points[3].Item1, points[3].Item2 * 10); // another process stole the CPU once
        var fit = AlphaBetaFitter.FitLine(points);
        Assert.Equal(truth.AlphaSeconds, fit.AlphaSeconds, truth.AlphaSeconds * 0.02);
        Assert.Equal(truth.BetaSecondsPerByte, fit.BetaSecondsPerByte, truth.BetaSecondsPerByte * 0.02);
    }

    [Theory]
    [InlineData("all_reduce", 4, 1.5, 6)]
    [InlineData("all_gather", 4, 0.75, 3)]
    [InlineData("reduce_scatter", 8, 0.875, 7)]
    [InlineData("broadcast", 4, 1.0, 3)]
    [InlineData("sendrecv", 2, 1.0, 1)]
    public void BusFactors_MatchNcclTestsDefinitions(string collective, int n, double factor, int steps)
    {
        Assert.Equal(factor, CollectiveBusFactors.BusBytesFactor(collective, n), 15);
        Assert.Equal(steps, CollectiveBusFactors.LatencySteps(collective, n));
    }

    [Fact]
    public void GammaShapeSolver_InvertsLogMinusDigamma()
    {
        foreach (double k in new[] { 0.3, 1, 4.5, 120, 5000 })
        {
            double target = Math.Log(k) - MathNet.Numerics.SpecialFunctions.DiGamma(k);
            Assert.Equal(k, JitterFitter.SolveGammaShape(target), k * 1e-9);
        }
    }

    [Fact]
    public void Jitter_LognormalSamples_PickLognormal_AndRecoverSigma()
    {
        var rng = new Random(42);
        var samples = Enumerable.Range(0, 4000).Select(_ => 0.01 * LogNormal.Sample(rng, 0, 0.3)).ToList();
        var model = JitterFitter.Fit([samples]);
        Assert.Equal("lognormal", model.Family);
        Assert.Equal(0.3, model.Parameters["sigma"], 0.015);
        Assert.Equal(0, model.Parameters["mu"], 0.02); // ratios to the median centre ln x on 0
        Assert.True(model.AicByFamily["gamma"] > model.AicByFamily["lognormal"]);
    }

    [Fact]
    public void Jitter_GammaSamples_PickGamma_AndRecoverShape()
    {
        var rng = new Random(7);
        var samples = Enumerable.Range(0, 4000).Select(_ => Gamma.Sample(rng, 2.0, 4.0)).ToList();
        var model = JitterFitter.Fit([samples]);
        Assert.Equal("gamma", model.Family);
        Assert.Equal(2.0, model.Parameters["shape"], 0.15); // the shape is scale-free
        Assert.Equal(0.5, Gamma.CDF(model.Parameters["shape"], model.Parameters["rate"], 1.0), 1e-9); // median 1
    }

    [Fact]
    public void Jitter_HasMedianOne_EvenWhenTheSamplesHaveARightTail()
    {
        // step times whose median is 1 and whose logarithms have a long right tail (an unconstrained lognormal's mu, the
        // mean of ln x, is then above 0): the fitted multiplier keeps the median, as the step curve it multiplies is a median
        var rng = new Random(3);
        var samples = Enumerable.Range(0, 4000).Select(_ => rng.NextDouble() < 0.8 ? LogNormal.Sample(rng, 0, 0.02) : 1 + Exponential.Sample(rng, 5)).ToList();
        Assert.True(samples.Average(Math.Log) > 0.02);
        var model = JitterFitter.Fit([samples]);
        double median = model.Family == "lognormal" ? Math.Exp(model.Parameters["mu"]) : Gamma.InvCDF(model.Parameters["shape"], model.Parameters["rate"], 0.5);
        Assert.Equal(1.0, median, 1e-9);
    }

    [Fact]
    public void Jitter_RejectsDegenerateInput()
    {
        Assert.Throws<ArgumentException>(() => JitterFitter.Fit([[1.0, 1.0, 1.0, 1.0]]));
        Assert.Throws<ArgumentException>(() => JitterFitter.Fit([[1.0, 2.0]]));
    }

    [Fact]
    public void EfficiencyCurve_OnNoisyPowerLawSteps_StaysWithinWhatAProfileCanHold_AndFitsAsWellAsTheRunaway()
    {
        // Step times of a small CNN at batch 1..32 (training FLOPs 1.3e7 per sample) with noise, as a loaded machine gives them:
        // the unconstrained fit ran off to Rmax 4.9e21 FLOP/s and Wh 3.4e28 FLOP (t = Wh^k W^(1-k) / Rmax, k 0.53), which the
        // profile reader refuses (more than JsonFields.MaxMagnitude). Kept within the bound, the fit is as good over the points.
        double[] work = [1.3e7, 2.6e7, 5.3e7, 1.06e8, 2.12e8, 4.24e8];
        double[] ms = [0.5301, 1.4146, 1.2896, 1.8769, 2.0152, 3.8940];
        var points = work.Zip(ms, (w, t) => (w, t * 1e-3)).ToList();
        var curve = EfficiencyCurveFitter.Fit(points);
        Assert.InRange(curve.MaxRate, 1, Sim.Calibration.Traces.JsonFields.MaxMagnitude);
        Assert.InRange(curve.HalfRateWork, 0, Sim.Calibration.Traces.JsonFields.MaxMagnitude);
        // the runaway's own residuals (log space, as the fitter measures them): the bounded curve is no worse by more than 1%
        var runaway = new SaturatingEfficiencyCurve(4.88e21, 3.35e28, 0.53);
        double Sse(SaturatingEfficiencyCurve c) => points.Sum(p => Math.Pow(Math.Log(c.Seconds(p.w)) - Math.Log(p.Item2), 2));
        Assert.True(Sse(curve) <= Sse(runaway) * 1.01, $"{Sse(curve)} vs {Sse(runaway)}");
    }
}
