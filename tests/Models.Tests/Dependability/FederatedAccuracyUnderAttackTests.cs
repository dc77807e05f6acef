using Sim.Core.Randomness;
using Sim.Core.Statistics;
using Sim.Models.Dependability;
using Sim.Models.Learning.Data;
using Sim.Models.Learning.Loop;
using Xunit.Abstractions;

namespace Sim.Models.Tests.Dependability;

/// <summary>
/// Byzantine clients in federated rounds, from real training in the loop (softmax regression on
/// Gaussian blobs, as in <see cref="AccuracyUnderAttackTests"/>): 40 clients with IID shards, K = 10 per
/// round, 2 local steps. One sign-flipping client per round (sending -10 x its update) breaks plain
/// averaging of the updates and the median survives (Blanchard et al., NeurIPS 2017, Lemma 1: no
/// linear rule tolerates one Byzantine participant); honest FedAvg with the median loses little.
/// 95% intervals over 5 seeds.
/// </summary>
public class FederatedAccuracyUnderAttackTests(ITestOutputHelper output)
{
    private static readonly GaussianBlobs Data = new(features: 20, classes: 10, train: 4096, test: 1024, separation: 0.3, seed: 5);

    private static ConfidenceInterval Accuracy(Func<IReadOnlyList<int[]>, ByzantineFedAvg> strategy)
    {
        var acc = new List<double>();
        for (ulong seed = 1; seed <= 5; seed++)
        {
            var model = new SoftmaxRegression(Data);
            var shards = Shards.Iid(model, 40, new RandomStream(seed, "learning.shards"));
            var config = new LoopConfig { Model = model, Workers = 40, Batch = 16, LearningRate = 0.05, MaxUpdates = 150, EvaluateEvery = 50, Seed = seed };
            acc.Add(strategy(shards).Run(config).Final.Accuracy);
        }
        return ConfidenceInterval.Of(acc);
    }

    private ConfidenceInterval Report(string label, string attack, int f, string rule)
    {
        var flip = new AttackOptions { Workers = 10, Dimension = 1, Scale = 10 };
        var ci = Accuracy(shards => new ByzantineFedAvg
        {
            ClientsPerRound = 10, LocalSteps = 2, ClientShards = shards, Attack = attack, AttackOptions = attack == "none" ? null : flip,
            Byzantine = f, Aggregator = rule, DefenceOptions = new AggregatorOptions { Workers = 10, Dimension = 1, Byzantine = Math.Max(f, 1) },
        });
        output.WriteLine($"| {label} | {ci.Mean:F3} ± {ci.HalfWidth:F3} |");
        return ci;
    }

    [Fact]
    public void One_sign_flipping_client_breaks_federated_averaging_while_the_median_survives()
    {
        var honest = Report("fedavg mean, no attack", "none", 0, "mean");
        var mean = Report("fedavg mean, 1 sign-flipping client of 10", "sign-flip", 1, "mean");
        var median = Report("fedavg median, 1 sign-flipping client of 10", "sign-flip", 1, "median");
        var krum = Report("fedavg krum, 1 sign-flipping client of 10", "sign-flip", 1, "krum");
        Assert.True(mean.Upper < 0.3, $"averaging should break: {mean}");
        Assert.True(median.Lower > mean.Upper + 0.2 && krum.Lower > mean.Upper + 0.2, $"{median}, {krum} vs {mean}");
        Assert.True(median.Mean > honest.Mean - 0.05, $"{median} vs {honest}");
    }

    [Fact]
    public void Honest_run_with_the_mean_on_equal_shards_is_fedavg()
    {
        var model = new SoftmaxRegression(Data);
        var shards = Shards.Iid(model, 32, new RandomStream(7, "learning.shards"));
        Assert.All(shards, s => Assert.Equal(128, s.Length));
        var config = new LoopConfig { Model = model, Workers = 32, Batch = 16, LearningRate = 0.05, MaxUpdates = 30, EvaluateEvery = 10, Seed = 7 };
        var plain = new FedAvg { ClientsPerRound = 8, LocalSteps = 3, ClientShards = shards }.Run(config);
        var byz = new ByzantineFedAvg { ClientsPerRound = 8, LocalSteps = 3, ClientShards = shards }.Run(config);
        Assert.Equal(plain.Curve.Count, byz.Curve.Count);
        for (int i = 0; i < plain.Curve.Count; i++)
        {
            Assert.Equal(plain.Curve[i].Time, byz.Curve[i].Time, 12);
            Assert.Equal(plain.Curve[i].Loss, byz.Curve[i].Loss, 4); // same updates, summed in another order
        }
    }

    [Fact]
    public void Same_seed_same_curve_under_attack()
    {
        var a = Report("determinism a", "sign-flip", 1, "krum");
        var b = Report("determinism b", "sign-flip", 1, "krum");
        Assert.Equal(a.Mean, b.Mean);
        Assert.Equal(a.HalfWidth, b.HalfWidth);
    }
}
