using Sim.Core;
using Sim.Core.Randomness;

namespace Sim.Core.Tests;

public class RandomnessTests
{
    [Fact]
    public void SameSeedAndNameGiveIdenticalStreams()
    {
        var a = new Simulation(123).Random("worker7");
        var b = new Simulation(123).Random("worker7");
        for (int i = 0; i < 1000; i++) Assert.Equal(a.NextUInt64(), b.NextUInt64());
    }

    [Fact]
    public void AddingAComponentDoesNotChangeAnotherComponentsDraws()
    {
        var lone = new Simulation(5);
        var crowded = new Simulation(5);
        _ = crowded.Random("newcomer").NextDouble();
        var x = lone.Random("link").NextDouble();
        var y = crowded.Random("link").NextDouble();
        Assert.Equal(x, y);
        Assert.NotEqual(new Simulation(6).Random("link").NextDouble(), x);
        Assert.NotEqual(lone.Random("link2").NextDouble(), lone.Random("link").NextDouble());
    }

    [Fact]
    public void UniformDrawsHaveTheRightMoments()
    {
        var rng = new RandomStream(99);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) { double u = rng.NextDouble(); Assert.InRange(u, 0, 1); sum += u; sumSq += u * u; }
        double mean = sum / n;
        Assert.InRange(mean, 0.5 - 4 * Math.Sqrt(1.0 / 12 / n), 0.5 + 4 * Math.Sqrt(1.0 / 12 / n));
        Assert.InRange(sumSq / n - mean * mean, 1.0 / 12 - 0.002, 1.0 / 12 + 0.002);
    }

    [Fact]
    public void BoundedIntegersAreUnbiased()
    {
        var rng = new RandomStream(3);
        var counts = new int[6];
        for (int i = 0; i < 60_000; i++) counts[rng.Next(6)]++;
        // Chi-square with 5 degrees of freedom: the 99.9% quantile is 20.5.
        double chi = counts.Sum(c => (c - 10_000.0) * (c - 10_000.0) / 10_000.0);
        Assert.True(chi < 20.5, $"chi-square {chi}");
    }

    public static TheoryData<string> Families => new()
    {
        "deterministic(2.5)", "exponential(2)", "uniform(1, 3)", "normal(10, 2)", "lognormal(0, 0.25)",
        "gamma(2, 1.5)", "weibull(1.5, 2)", "pareto(1, 3.5)", "empirical(1, 2, 2, 7)",
        "mixture(0.9 * deterministic(1), 0.1 * exponential(0.5))",
    };

    [Theory]
    [MemberData(nameof(Families))]
    public void SampleMeanAndVarianceMatchTheFormulas(string text)
    {
        var d = Distributions.Parse(text);
        var rng = new RandomStream(2024);
        const int n = 200_000;
        double sum = 0, sumSq = 0;
        for (int i = 0; i < n; i++) { double x = d.Sample(rng); sum += x; sumSq += x * x; }
        double mean = sum / n, variance = sumSq / n - mean * mean;
        double se = Math.Sqrt(d.Variance / n);
        Assert.InRange(mean, d.Mean - 5 * se - 1e-12, d.Mean + 5 * se + 1e-12);
        Assert.InRange(variance, d.Variance * 0.95 - 1e-12, d.Variance * 1.05 + 1e-12);
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void EmpiricalCdfMatchesTheCdf(string text)
    {
        var d = Distributions.Parse(text);
        var rng = new RandomStream(11);
        var xs = Enumerable.Range(0, 50_000).Select(_ => d.Sample(rng)).OrderBy(x => x).ToArray();
        // Kolmogorov-Smirnov distance at the deciles; 1.63/sqrt(n) is the 99% critical value.
        foreach (var q in new[] { 0.1, 0.25, 0.5, 0.75, 0.9 })
        {
            double x = xs[(int)(q * xs.Length)];
            double below = xs.Count(v => v <= x) / (double)xs.Length;
            Assert.InRange(d.Cdf(x), below - 0.01, below + 0.01);
        }
    }

    [Theory]
    [MemberData(nameof(Families))]
    public void PrintedFormParsesBackToTheSameDistribution(string text)
    {
        var d = Distributions.Parse(text);
        var again = Distributions.Parse(d.ToString()!);
        Assert.Equal(d.ToString(), again.ToString());
        Assert.Equal(d.Mean, again.Mean, 12);
    }

    [Theory]
    [InlineData("exp(1)", 1.0)]
    [InlineData("const(4)", 4.0)]
    [InlineData("  lognormal( 0 ,0.5 ) ", 1.1331484530668263)]
    [InlineData("3.5", 3.5)]
    [InlineData("exponential(1e3)", 1e-3)]
    public void AliasesAndSpacingAreAccepted(string text, double mean)
    {
        Assert.Equal(mean, Distributions.Parse(text).Mean, 12);
    }

    [Theory]
    [InlineData("lognormall(0, 1)", "unknown distribution 'lognormall'")]
    [InlineData("lognormal(0)", "lognormal(mu, sigma) takes 2 arguments, got 1")]
    [InlineData("lognormal(0, -1)", "sigma must be > 0, got -1")]
    [InlineData("exponential(0)", "rate must be > 0")]
    [InlineData("uniform(3, 1)", "lower must be < upper")]
    [InlineData("normal(1, x)", "expected a number, got 'x'")]
    [InlineData("gamma(1, 2", "expected ',' or ')'")]
    [InlineData("weibull(1, 2) extra", "unexpected text after the distribution")]
    [InlineData("mixture()", "needs at least one component")]
    [InlineData("mixture(0.5 exp(1))", "expected '*'")]
    [InlineData("mixture(-1 * exp(1))", "mixture weights must be > 0")]
    [InlineData("empirical()", "needs at least one sample")]
    [InlineData("empirical(\"/nonexistent/file.txt\")", "empirical samples file not found")]
    [InlineData("", "expected a distribution")]
    [InlineData("pareto(1, nan)", "expected a number, got 'nan'")]
    public void BadTextGetsAClearError(string text, string expected)
    {
        var ex = Assert.Throws<DistributionParseException>(() => Distributions.Parse(text));
        Assert.Contains(expected, ex.Message);
        Assert.Contains("column", ex.Message);
    }

    [Fact]
    public void EmpiricalFromFileReportsTheBadLine()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllLines(path, new[] { "# step times", "1.0", "1.1", "oops", "1.2" });
            var ex = Assert.Throws<DistributionParseException>(() => Distributions.Parse($"empirical(\"{path}\")"));
            Assert.Contains($"{path}:4: expected a number, got 'oops'", ex.Message);
            File.WriteAllLines(path, new[] { "1.0", "3.0" });
            Assert.Equal(2.0, Distributions.Parse($"empirical(\"{path}\")").Mean);
        }
        finally { File.Delete(path); }
    }
}
