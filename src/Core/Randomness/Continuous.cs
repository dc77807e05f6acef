using MathNet.Numerics.Distributions;

namespace Sim.Core.Randomness;

// The standard parametric families. Parameters follow the usual textbook conventions, named in each
// ToString so that a printed distribution parses back to itself.

/// <summary>Always the same value: a metronome.</summary>
public sealed record Deterministic(double Value) : IDistribution, IQuantile
{
    public double Sample(RandomStream rng) => Value;
    public double Mean => Value;
    public double Variance => 0;
    public double Cdf(double x) => x >= Value ? 1 : 0;
    public double Quantile(double p) => Value;
    public override string ToString() => $"deterministic({Distributions.Format(Value)})";
}

/// <summary>Memoryless waiting times with the given rate (mean 1/rate): arrivals of independent customers.</summary>
public sealed record Exponential(double Rate) : IDistribution, IQuantile
{
    public double Sample(RandomStream rng) => rng.NextExponential(Rate);
    public double Mean => 1 / Rate;
    public double Variance => 1 / (Rate * Rate);
    public double Cdf(double x) => x <= 0 ? 0 : -double.ExpM1(-Rate * x);
    public double Quantile(double p) => -Math.Log(1 - p) / Rate;
    public override string ToString() => $"exponential({Distributions.Format(Rate)})";
}

public sealed record Uniform(double Lower, double Upper) : IDistribution, IQuantile
{
    public double Sample(RandomStream rng) => Lower + (Upper - Lower) * rng.NextDouble();
    public double Mean => (Lower + Upper) / 2;
    public double Variance => (Upper - Lower) * (Upper - Lower) / 12;
    public double Cdf(double x) => x <= Lower ? 0 : x >= Upper ? 1 : (x - Lower) / (Upper - Lower);
    public double Quantile(double p) => Lower + p * (Upper - Lower);
    public override string ToString() => $"uniform({Distributions.Format(Lower)}, {Distributions.Format(Upper)})";
}

public sealed record Normal(double Mu, double Sigma) : IDistribution, IQuantile
{
    public double Sample(RandomStream rng) => MathNet.Numerics.Distributions.Normal.Sample(rng, Mu, Sigma);
    public double Mean => Mu;
    public double Variance => Sigma * Sigma;
    public double Cdf(double x) => MathNet.Numerics.Distributions.Normal.CDF(Mu, Sigma, x);
    public double Quantile(double p) => MathNet.Numerics.Distributions.Normal.InvCDF(Mu, Sigma, p);
    public override string ToString() => $"normal({Distributions.Format(Mu)}, {Distributions.Format(Sigma)})";
}

/// <summary>exp of a normal(mu, sigma): multiplicative noise, the usual shape of compute-time jitter.</summary>
public sealed record LogNormal(double Mu, double Sigma) : IDistribution, IQuantile
{
    public double Sample(RandomStream rng) => Math.Exp(MathNet.Numerics.Distributions.Normal.Sample(rng, Mu, Sigma));
    public double Mean => Math.Exp(Mu + Sigma * Sigma / 2);
    public double Variance => double.ExpM1(Sigma * Sigma) * Math.Exp(2 * Mu + Sigma * Sigma);
    public double Cdf(double x) => x <= 0 ? 0 : MathNet.Numerics.Distributions.LogNormal.CDF(Mu, Sigma, x);
    public double Quantile(double p) => Math.Exp(MathNet.Numerics.Distributions.Normal.InvCDF(Mu, Sigma, p));
    public override string ToString() => $"lognormal({Distributions.Format(Mu)}, {Distributions.Format(Sigma)})";
}

/// <summary>Gamma with shape k and scale theta (mean k*theta).</summary>
public sealed record Gamma(double Shape, double Scale) : IDistribution, IQuantile
{
    public double Sample(RandomStream rng) => MathNet.Numerics.Distributions.Gamma.Sample(rng, Shape, 1 / Scale);
    public double Mean => Shape * Scale;
    public double Variance => Shape * Scale * Scale;
    public double Cdf(double x) => x <= 0 ? 0 : MathNet.Numerics.Distributions.Gamma.CDF(Shape, 1 / Scale, x);
    public double Quantile(double p) => MathNet.Numerics.Distributions.Gamma.InvCDF(Shape, 1 / Scale, p);
    public override string ToString() => $"gamma({Distributions.Format(Shape)}, {Distributions.Format(Scale)})";
}

/// <summary>Weibull with shape k and scale lambda: lifetimes of components that wear out (k &gt; 1).</summary>
public sealed record Weibull(double Shape, double Scale) : IDistribution, IQuantile
{
    public double Sample(RandomStream rng) => Scale * Math.Pow(-Math.Log(rng.NextOpenDouble()), 1 / Shape);
    public double Mean => Scale * SpecialFunctions.Gamma(1 + 1 / Shape);
    public double Variance => Scale * Scale * (SpecialFunctions.Gamma(1 + 2 / Shape) - Math.Pow(SpecialFunctions.Gamma(1 + 1 / Shape), 2));
    public double Cdf(double x) => x <= 0 ? 0 : -double.ExpM1(-Math.Pow(x / Scale, Shape));
    public double Quantile(double p) => Scale * Math.Pow(-Math.Log(1 - p), 1 / Shape);
    public override string ToString() => $"weibull({Distributions.Format(Shape)}, {Distributions.Format(Scale)})";
}

/// <summary>Pareto with minimum x_m (scale) and tail index alpha (shape): heavy-tailed stragglers.</summary>
public sealed record Pareto(double Scale, double Shape) : IDistribution, IQuantile
{
    public double Sample(RandomStream rng) => Scale / Math.Pow(rng.NextOpenDouble(), 1 / Shape);
    public double Mean => Shape <= 1 ? double.PositiveInfinity : Shape * Scale / (Shape - 1);
    public double Variance => Shape <= 2 ? double.PositiveInfinity : Scale * Scale * Shape / ((Shape - 1) * (Shape - 1) * (Shape - 2));
    public double Cdf(double x) => x <= Scale ? 0 : 1 - Math.Pow(Scale / x, Shape);
    public double Quantile(double p) => Scale / Math.Pow(1 - p, 1 / Shape);
    public override string ToString() => $"pareto({Distributions.Format(Scale)}, {Distributions.Format(Shape)})";
}

file static class SpecialFunctions
{
    public static double Gamma(double x) => MathNet.Numerics.SpecialFunctions.Gamma(x);
}
